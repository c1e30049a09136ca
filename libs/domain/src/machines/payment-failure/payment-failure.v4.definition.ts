import { withMergeClosure } from '../shared/merge-closure';
import { paymentFailureDefinitionV3 } from './payment-failure.v3.definition';

/** The payment failure, version 4: version 3's lifecycle plus closing as a duplicate merged into another case (MERGE_INTO → merged). */
export const paymentFailureDefinitionV4 = withMergeClosure(paymentFailureDefinitionV3, 4);
