import { Module } from '@nestjs/common';
import { CasesModule } from '@app/cases';
import { EvidenceModule } from '@app/evidence';
import { MerchantsModule } from '@app/merchants';
import { CustomerAuthGuard } from './auth/customer-auth.guard';
import { CustomerCaseViews } from './cases/customer-case-views';
import { CustomerEvidenceUploadInterceptor, CustomerInfoReplyUploadInterceptor } from './upload/customer-upload.interceptors';
import { AddCustomerEvidence } from './use-cases/add-customer-evidence/add-customer-evidence';
import { AppealCase } from './use-cases/appeal-case/appeal-case';
import { GetCustomerCase } from './use-cases/get-customer-case/get-customer-case';
import { ListCustomerCases } from './use-cases/list-customer-cases/list-customer-cases';
import { ListCustomerEvidence } from './use-cases/list-customer-evidence/list-customer-evidence';
import { RateCase } from './use-cases/rate-case/rate-case';
import { ReplyToInfoRequest } from './use-cases/reply-to-info-request/reply-to-info-request';
import { WithdrawCase } from './use-cases/withdraw-case/withdraw-case';

const USE_CASES = [ListCustomerCases, GetCustomerCase, ListCustomerEvidence, ReplyToInfoRequest, AddCustomerEvidence, WithdrawCase, AppealCase, RateCase];

/** The customer API's use cases: the wallet backend acts for a signed-in customer, on their own cases only. */
@Module({
  // MerchantsModule for the shared per-key rate limiter.
  imports: [CasesModule, EvidenceModule, MerchantsModule],
  providers: [CustomerAuthGuard, CustomerCaseViews, CustomerEvidenceUploadInterceptor, CustomerInfoReplyUploadInterceptor, ...USE_CASES],
  exports: [CustomerAuthGuard, CustomerEvidenceUploadInterceptor, CustomerInfoReplyUploadInterceptor, ...USE_CASES],
})
export class CustomersModule {}
