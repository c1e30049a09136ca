import { withWithdrawalWhileAwaitingApproval } from '../shared/withdrawal-while-awaiting-approval';
import { refundRequestDefinitionV4 } from './refund-request.v4.definition';

/**
 * The refund request, version 5: version 4's lifecycle, and the customer (or an agent for them) may
 * withdraw while a refund waits for approval, as on the merchant's desk and in review, where it was
 * proposed.
 */
export const refundRequestDefinitionV5 = withWithdrawalWhileAwaitingApproval(refundRequestDefinitionV4, 5);
