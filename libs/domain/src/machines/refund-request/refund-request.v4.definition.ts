import { withMergeClosure } from '../shared/merge-closure';
import { refundRequestDefinitionV3 } from './refund-request.v3.definition';

/** The refund request, version 4: version 3's lifecycle plus closing as a duplicate merged into another case (MERGE_INTO → merged). */
export const refundRequestDefinitionV4 = withMergeClosure(refundRequestDefinitionV3, 4);
