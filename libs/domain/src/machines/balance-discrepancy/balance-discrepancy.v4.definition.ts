import { withMergeClosure } from '../shared/merge-closure';
import { balanceDiscrepancyDefinitionV3 } from './balance-discrepancy.v3.definition';

/** The balance discrepancy, version 4: version 3's lifecycle plus closing as a duplicate merged into another case (MERGE_INTO → merged). */
export const balanceDiscrepancyDefinitionV4 = withMergeClosure(balanceDiscrepancyDefinitionV3, 4);
