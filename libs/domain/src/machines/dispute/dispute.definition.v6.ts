import { withWithdrawalWhileAwaitingApproval } from '../shared/withdrawal-while-awaiting-approval';
import { disputeDefinitionV5 } from './dispute.definition.v5';

/**
 * The dispute, version 6: version 5's lifecycle, and the customer (or an agent for them) may
 * withdraw while a decision waits for approval, as in the review it was proposed from; not while an
 * appeal's decision waits (an appeal review cannot be withdrawn).
 */
export const disputeDefinitionV6 = withWithdrawalWhileAwaitingApproval(disputeDefinitionV5, 6, { unless: 'proposedAtAppeal' });
