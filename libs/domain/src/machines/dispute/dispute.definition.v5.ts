import { withMergeClosure } from '../shared/merge-closure';
import { disputeDefinitionV4 } from './dispute.definition.v4';

/** The dispute, version 5: version 4's lifecycle plus closing as a duplicate merged into another case (MERGE_INTO → merged). */
export const disputeDefinitionV5 = withMergeClosure(disputeDefinitionV4, 5);
