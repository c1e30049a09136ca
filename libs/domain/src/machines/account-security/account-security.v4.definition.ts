import { withMergeClosure } from '../shared/merge-closure';
import { accountSecurityDefinitionV3 } from './account-security.v3.definition';

/** The account-security case, version 4: version 3's lifecycle plus closing as a duplicate merged into another case (MERGE_INTO → merged). */
export const accountSecurityDefinitionV4 = withMergeClosure(accountSecurityDefinitionV3, 4);
