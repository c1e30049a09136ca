import { withMergeClosure } from '../shared/merge-closure';
import { inquiryDefinitionV1 } from './inquiry.definition';

/** The inquiry, version 2: version 1's lifecycle plus closing as a duplicate merged into another case (MERGE_INTO → merged). */
export const inquiryDefinitionV2 = withMergeClosure(inquiryDefinitionV1, 2);
