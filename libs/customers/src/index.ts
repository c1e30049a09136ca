// The conversation on a case (agents ↔ customer, agents ↔ merchant) and macros.
export { ConversationModule } from './conversation/conversation.module';
export { PostCaseMessage, type PostCaseMessageCommand } from './conversation/post-case-message';
export { ListCaseMessages, type CaseConversationView } from './conversation/list-case-messages';
export type { ConversationParticipant } from './conversation/participant';
export { toMerchantMessageView, type CaseMessageView, type MerchantMessageView } from './conversation/case-message-view';
export { AGENT_REPLIED_TOPIC, MERCHANT_MESSAGE_TOPIC, INBOX_TYPE_OF_REPLY } from './conversation/conversation-topics';
export { MAX_MESSAGE_LENGTH, MESSAGE_LOCALES } from './conversation/message-input';
export { ListMacros, CreateMacro, UpdateMacro, DeleteMacro, type MacroView } from './macros/manage-macros';
export { RenderMacro, type RenderedMacro } from './macros/render-macro';
export { MACRO_PLACEHOLDERS } from './macros/macro-template';

// The customer API: the wallet backend acts for a signed-in customer, on their own cases only.
export { CustomersModule } from './customers.module';
export {
  CUSTOMER_TOKEN_AUDIENCE,
  MAX_CUSTOMER_TOKEN_SECONDS,
  mintCustomerToken,
  verifyCustomerToken,
  type CustomerTokenClaims,
  type VerifiedCustomer,
} from './auth/customer-token';
export { CustomerAuthGuard, CurrentCustomer, type AuthenticatedCustomer } from './auth/customer-auth.guard';
export { CUSTOMER_STATUSES, type CustomerStatus } from './cases/customer-status';
export { CUSTOMER_LOCALES, DEFAULT_CUSTOMER_LOCALE, resolveCustomerLocale, type CustomerLocale } from './cases/customer-texts';
export { findCustomerCase, type CustomerAction, type CustomerCaseView } from './cases/customer-case-view';
export { CustomerEvidenceUploadInterceptor, CustomerInfoReplyUploadInterceptor } from './upload/customer-upload.interceptors';
export { ListCustomerCases, MAX_CUSTOMER_PAGE, type CustomerCasePage, type ListCustomerCasesQuery } from './use-cases/list-customer-cases/list-customer-cases';
export { GetCustomerCase } from './use-cases/get-customer-case/get-customer-case';
export { ReplyToInfoRequest, MAX_REPLY_TEXT, type ReplyToInfoRequestCommand } from './use-cases/reply-to-info-request/reply-to-info-request';
export { AddCustomerEvidence } from './use-cases/add-customer-evidence/add-customer-evidence';
export { ListCustomerEvidence, type CustomerEvidenceFileView } from './use-cases/list-customer-evidence/list-customer-evidence';
export { WithdrawCase } from './use-cases/withdraw-case/withdraw-case';
export { AppealCase } from './use-cases/appeal-case/appeal-case';
export { RateCase, type RateCaseCommand } from './use-cases/rate-case/rate-case';
export { toCustomerMessageView, type CustomerMessageView } from './cases/customer-message-view';
