import { withMergeClosure } from '../shared/merge-closure';
import { disputeDefinitionV3 } from './dispute.definition.v3';

/** The dispute, version 4: version 3's lifecycle plus closing as a duplicate merged into another case (MERGE_INTO → merged). */
export const disputeDefinitionV4 = withMergeClosure(disputeDefinitionV3, 4);
