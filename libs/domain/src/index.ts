export * from './cases/case-kind';
export * from './disputes/evidence-requirements';
export * from './disputes/dispute-filing';
export * from './cases/case-moment';
export * from './money/money';
export * from './money/transaction-match';
export * from './money/refund-ledger';
export * from './money/refund-reconciliation';
export * from './errors';
export * from './machines/windows';
export * from './machines/effects';
export * from './machines/definition';
export * from './machines/registry';
export { MERGE_EVENT, MERGED_STATE } from './machines/shared/merge-closure';
export type { DisputeContext, DisputeDecision, DisputeOutcome } from './machines/dispute/dispute.machine';
export type { RefundRequestContext, RefundRequestDecision, RefundRequestOutcome } from './machines/refund-request/refund-request.machine';
export type { RefundRequestContextV2, RefundRequestProposal } from './machines/refund-request/refund-request.v2.machine';
export type { RefundRequestContest, RefundRequestContextV3 } from './machines/refund-request/refund-request.v3.machine';
export type { PaymentFailureContext, PaymentFailureOutcome } from './machines/payment-failure/payment-failure.machine';
export type {
  BalanceCorrection,
  BalanceDiscrepancyContext,
  BalanceDiscrepancyOutcome,
  CorrectionDirection,
  PendingCheckResult,
} from './machines/balance-discrepancy/balance-discrepancy.machine';
export type { AccountSecurityContext, AccountSecurityOutcome, VerificationMethod } from './machines/account-security/account-security.machine';
export type { AccountSecurityContextV2, AccountSecurityOutcomeV2 } from './machines/account-security/account-security.v2.machine';
export type { AccountSecurityContextV3, AccountSecurityProposal } from './machines/account-security/account-security.v3.machine';
export type { BalanceDiscrepancyContextV2 } from './machines/balance-discrepancy/balance-discrepancy.v2.machine';
export type { BalanceDiscrepancyContextV3, CorrectionProposal } from './machines/balance-discrepancy/balance-discrepancy.v3.machine';
export {
  PAYMENT_FAILURE_CAUSES,
  WALLET_TRANSACTION_STATUSES,
  type PaymentFailureCause,
  type PaymentFailureContextV2,
  type PaymentFailureOutcomeV2,
  type WalletTransactionStatus,
} from './machines/payment-failure/payment-failure.v2.machine';
export type { PaymentFailureContextV3, ReversalProposal } from './machines/payment-failure/payment-failure.v3.machine';
export { MAX_INQUIRY_REOPENS, type InquiryContext } from './machines/inquiry/inquiry.machine';
export * from './policies/refund-policy';
export * from './policies/fee-policy';
export * from './engine/case-transition';
export * from './calendar';
export * from './sla';
export * from './machines/describe-machine';
export * from './customers/customer-contact';
export { notifyTopicsOf } from './machines/notify-topics';
export type { DisputeContextV2 } from './machines/dispute/dispute.machine.v2';
export * from './approvals';
