import { withMergeClosure } from '../shared/merge-closure';
import { refundRequestDefinitionV2 } from './refund-request.v2.definition';

/** The refund request, version 3: version 2's lifecycle plus closing as a duplicate merged into another case (MERGE_INTO → merged). */
export const refundRequestDefinitionV3 = withMergeClosure(refundRequestDefinitionV2, 3);
