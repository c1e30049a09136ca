import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { CasesModule } from '@app/cases';
import { MerchantAuthGuard } from './auth/merchant-auth.guard';
import { RateLimiter } from './auth/rate-limiter';
import { AcceptDispute } from './disputes/accept-dispute';
import { GetDisputeDecision } from './disputes/get-dispute-decision';
import { GetMerchantDispute } from './disputes/get-merchant-dispute';
import { ListMerchantDisputes } from './disputes/list-merchant-disputes';
import { CreateApiKey } from './keys/create-api-key';
import { CreateMerchant } from './keys/create-merchant';
import { ListApiKeys } from './keys/list-api-keys';
import { ListMerchants } from './keys/list-merchants';
import { RevokeApiKey } from './keys/revoke-api-key';
import { GetRefundPolicy } from './refund-policies/get-refund-policy';
import { RemoveRefundPolicy } from './refund-policies/remove-refund-policy';
import { SetRefundPolicy } from './refund-policies/set-refund-policy';
import { ApproveRefundRequest } from './refund-requests/approve-refund-request';
import { GetMerchantRefundRequest } from './refund-requests/get-merchant-refund-request';
import { ListMerchantRefundRequests } from './refund-requests/list-merchant-refund-requests';
import { RejectRefundRequest } from './refund-requests/reject-refund-request';
import { AdvanceTestClock } from './test-mode/advance-test-clock';
import { CreateTestClock } from './test-mode/create-test-clock';
import { GetTestClock } from './test-mode/get-test-clock';
import { ListTestClocks } from './test-mode/list-test-clocks';
import { OpenTestCase } from './test-mode/open-test-case';

const USE_CASES = [
  CreateMerchant,
  ListMerchants,
  CreateApiKey,
  ListApiKeys,
  RevokeApiKey,
  ListMerchantDisputes,
  GetMerchantDispute,
  GetDisputeDecision,
  AcceptDispute,
  ListMerchantRefundRequests,
  GetMerchantRefundRequest,
  ApproveRefundRequest,
  RejectRefundRequest,
  GetRefundPolicy,
  SetRefundPolicy,
  RemoveRefundPolicy,
];
/** Test mode's helpers: test clocks and simulated cases, for test keys only. */
const TEST_HELPERS = [CreateTestClock, GetTestClock, ListTestClocks, AdvanceTestClock, OpenTestCase];

/** Merchants, their API keys and refund policies, the merchant guard and rate limits, and the merchant's view of disputes and refund requests. */
@Module({
  // The admin audit log records merchants and keys created and keys revoked.
  imports: [CasesModule, AuditModule],
  providers: [RateLimiter, MerchantAuthGuard, ...USE_CASES, ...TEST_HELPERS],
  exports: [RateLimiter, MerchantAuthGuard, ...USE_CASES, ...TEST_HELPERS],
})
export class MerchantsModule {}
