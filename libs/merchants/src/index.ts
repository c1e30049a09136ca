export { MerchantsModule } from './merchants.module';
export { MerchantAuthGuard, CurrentMerchant, type AuthenticatedMerchant } from './auth/merchant-auth.guard';
export { merchantAuditActor } from './auth/merchant-audit-actor';
export { RateLimiter, type RateLimitResult } from './auth/rate-limiter';
export { CreateMerchant, type CreateMerchantCommand } from './keys/create-merchant';
export { ListMerchants } from './keys/list-merchants';
export { CreateApiKey, type CreateApiKeyCommand } from './keys/create-api-key';
export { ListApiKeys } from './keys/list-api-keys';
export { RevokeApiKey } from './keys/revoke-api-key';
export { generateApiKey, hashApiKey } from './keys/api-key-format';
export type { ApiKeyView, MerchantView } from './keys/views';
export { ListMerchantDisputes, type ListMerchantDisputesQuery, type MerchantDisputePage } from './disputes/list-merchant-disputes';
export { GetMerchantDispute } from './disputes/get-merchant-dispute';
export { GetDisputeDecision } from './disputes/get-dispute-decision';
export { AcceptDispute } from './disputes/accept-dispute';
export { disputeAtMoment } from './disputes/dispute-at-moment';
export { CreateTestClock, type CreateTestClockCommand } from './test-mode/create-test-clock';
export { GetTestClock } from './test-mode/get-test-clock';
export { ListTestClocks } from './test-mode/list-test-clocks';
export { AdvanceTestClock } from './test-mode/advance-test-clock';
export { OpenTestCase, type OpenTestCaseCommand, type TestRefundRequestView } from './test-mode/open-test-case';
export type { TestClockView } from './test-mode/test-clock-view';
export {
  MERCHANT_DISPUTE_STATUSES,
  disputeNotFound,
  findOwnedDispute,
  getMerchantDisputeView,
  toDecisionView,
  type MerchantDecisionView,
  type MerchantDisputeStatus,
  type MerchantDisputeView,
  type MerchantScope,
} from './disputes/merchant-dispute-view';
export { ListMerchantRefundRequests, type ListMerchantRefundRequestsQuery, type MerchantRefundRequestPage } from './refund-requests/list-merchant-refund-requests';
export { GetMerchantRefundRequest } from './refund-requests/get-merchant-refund-request';
export { ApproveRefundRequest, type ApproveRefundRequestCommand } from './refund-requests/approve-refund-request';
export { RejectRefundRequest } from './refund-requests/reject-refund-request';
export { refundRequestAtMoment } from './refund-requests/refund-request-at-moment';
export {
  MERCHANT_REFUND_REQUEST_STATUSES,
  findOwnedRefundRequest,
  getMerchantRefundRequestView,
  type MerchantRefundRequestStatus,
  type MerchantRefundRequestView,
} from './refund-requests/merchant-refund-request-view';
export { GetRefundPolicy } from './refund-policies/get-refund-policy';
export { SetRefundPolicy } from './refund-policies/set-refund-policy';
export { RemoveRefundPolicy } from './refund-policies/remove-refund-policy';
export type { RefundPolicyView } from './refund-policies/refund-policy-view';
