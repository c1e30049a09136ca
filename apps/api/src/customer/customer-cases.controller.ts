import { Body, Controller, Get, HttpCode, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AddCustomerEvidence,
  AppealCase,
  CurrentCustomer,
  CustomerEvidenceUploadInterceptor,
  CustomerInfoReplyUploadInterceptor,
  GetCustomerCase,
  ListCaseMessages,
  ListCustomerCases,
  ListCustomerEvidence,
  MAX_REPLY_TEXT,
  PostCaseMessage,
  RateCase,
  ReplyToInfoRequest,
  WithdrawCase,
  toCustomerMessageView,
  type AuthenticatedCustomer,
  type CustomerLocale,
} from '@app/customers';
import { CUSTOMER_EVIDENCE_CATEGORIES, UploadedEvidence, type EvidenceUpload } from '@app/evidence';
import { IdempotencyInterceptor } from '@app/idempotency';
import { Idempotent } from '../merchant/merchant-api';
import { CustomerApi, RequestedLocale } from './customer-api';
import { AppealCaseDto, CustomerPostMessageDto, ListCustomerCasesQueryDto, RateCaseDto, WithdrawCaseDto } from './customer.dto';

const IDEMPOTENCY_HEADER_DOC = ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description: 'Repeat a request safely: the same key and body return the stored response; a different body is a 422; kept 24 hours.',
});
const FILE_RULES =
  'PDF, PNG, JPEG or UTF-8 plain text, judged by content (415 otherwise). Limits (EVIDENCE_MAX_FILE_BYTES, default 10 MiB per file; EVIDENCE_MAX_CASE_BYTES, 30 MiB per case; 5 files per request) are enforced while the body streams: 413 and nothing stored.';

/**
 * The customer API: the wallet backend, for a signed-in customer, on that customer's own cases.
 * Every route loads the case with the token's customer in the query: another customer's case is
 * the same 404 as one that does not exist. Each handler translates HTTP to one use case.
 */
@ApiTags('customer: cases')
@CustomerApi()
@Controller('v1/customer/cases')
export class CustomerCasesController {
  constructor(
    private readonly listCases: ListCustomerCases,
    private readonly getCase: GetCustomerCase,
    private readonly replyToInfoRequest: ReplyToInfoRequest,
    private readonly addEvidence: AddCustomerEvidence,
    private readonly listEvidence: ListCustomerEvidence,
    private readonly withdrawCase: WithdrawCase,
    private readonly appealCase: AppealCase,
    private readonly rateCase: RateCase,
    private readonly listMessages: ListCaseMessages,
    private readonly postMessage: PostCaseMessage,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Your cases, newest first (cursor pagination), in plain words' })
  list(@Query() query: ListCustomerCasesQueryDto, @CurrentCustomer() customer: AuthenticatedCustomer, @RequestedLocale() locale: CustomerLocale) {
    return this.listCases.execute({ customerId: customer.id, cursor: query.cursor, limit: query.limit, locale });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One case: status in plain words, what happens next and by when, amounts, what we wait for, what you may do' })
  get(@Param('id') id: string, @CurrentCustomer() customer: AuthenticatedCustomer, @RequestedLocale() locale: CustomerLocale) {
    return this.getCase.execute({ customerId: customer.id, caseId: id, locale });
  }

  @Post(':id/info-replies')
  @HttpCode(200)
  @UseInterceptors(CustomerInfoReplyUploadInterceptor, IdempotencyInterceptor)
  @IDEMPOTENCY_HEADER_DOC
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    description: `Your answer to our question (multipart, or JSON \`{"text": "…"}\` without files): a \`text\` field (1 to ${MAX_REPLY_TEXT} characters) and optional \`file\` parts with a \`category\` (${CUSTOMER_EVIDENCE_CATEGORIES.join(', ')}; default other). ${FILE_RULES} A case that is not waiting for you is a 409 NOT_WAITING_FOR_CUSTOMER and nothing is kept.`,
    schema: {
      type: 'object',
      required: ['text'],
      properties: { text: { type: 'string' }, file: { type: 'string', format: 'binary' }, category: { type: 'string', enum: [...CUSTOMER_EVIDENCE_CATEGORIES] } },
    },
  })
  @ApiOperation({ summary: 'Answer our request for information (multipart)' })
  reply(@Param('id') id: string, @UploadedEvidence() upload: EvidenceUpload, @CurrentCustomer() customer: AuthenticatedCustomer, @RequestedLocale() locale: CustomerLocale) {
    return this.replyToInfoRequest.execute({ customerId: customer.id, caseId: id, upload, locale });
  }

  @Get(':id/evidence')
  @ApiOperation({ summary: 'The evidence you have handed in on this case (and what support added for you)' })
  evidenceList(@Param('id') id: string, @CurrentCustomer() customer: AuthenticatedCustomer) {
    return this.listEvidence.execute({ customerId: customer.id, caseId: id });
  }

  @Post(':id/evidence')
  @HttpCode(200)
  @UseInterceptors(CustomerEvidenceUploadInterceptor, IdempotencyInterceptor)
  @IDEMPOTENCY_HEADER_DOC
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    description: `One or more \`file\` parts and a \`category\` (${CUSTOMER_EVIDENCE_CATEGORIES.join(', ')}; default other), while your dispute or refund request is undecided (409 EVIDENCE_LOCKED after). ${FILE_RULES}`,
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' }, category: { type: 'string', enum: [...CUSTOMER_EVIDENCE_CATEGORIES] } } },
  })
  @ApiOperation({ summary: 'Hand in evidence: receipts, transaction records, product photos, chat logs (multipart)' })
  evidence(@Param('id') id: string, @UploadedEvidence() upload: EvidenceUpload, @CurrentCustomer() customer: AuthenticatedCustomer) {
    return this.addEvidence.execute({ customerId: customer.id, caseId: id, upload });
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Withdraw your dispute or refund request (409 EVENT_NOT_ALLOWED once it can no longer be withdrawn)' })
  withdraw(@Param('id') id: string, @Body() body: WithdrawCaseDto, @CurrentCustomer() customer: AuthenticatedCustomer, @RequestedLocale() locale: CustomerLocale) {
    return this.withdrawCase.execute({ customerId: customer.id, caseId: id, reason: body.reason, locale });
  }

  @Post(':id/appeal')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Appeal the decision once, within the appeal window (422 APPEAL_WINDOW_CLOSED after it)' })
  appeal(@Param('id') id: string, @Body() body: AppealCaseDto, @CurrentCustomer() customer: AuthenticatedCustomer, @RequestedLocale() locale: CustomerLocale) {
    return this.appealCase.execute({ customerId: customer.id, caseId: id, reason: body.reason, locale });
  }

  @Post(':id/rating')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Rate how the case was handled: 1–5 and a comment, once, after it is resolved (409 ALREADY_RATED, 409 CASE_NOT_RESOLVED)' })
  rate(@Param('id') id: string, @Body() body: RateCaseDto, @CurrentCustomer() customer: AuthenticatedCustomer, @RequestedLocale() locale: CustomerLocale) {
    return this.rateCase.execute({ customerId: customer.id, caseId: id, score: body.score, comment: body.comment, locale });
  }

  @Get(':id/messages')
  @ApiOperation({ summary: 'Your conversation with support on this case, oldest first' })
  async messages(@Param('id') id: string, @CurrentCustomer() customer: AuthenticatedCustomer) {
    const conversation = await this.listMessages.execute({ caseId: id }, { kind: 'customer', id: customer.id });
    return { object: 'list', data: conversation.messages.map(toCustomerMessageView) };
  }

  @Post(':id/messages')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Write to support about this case (it lands in the agent inbox)' })
  async message(@Param('id') id: string, @Body() body: CustomerPostMessageDto, @CurrentCustomer() customer: AuthenticatedCustomer) {
    return toCustomerMessageView(await this.postMessage.execute({ caseId: id, body: body.body, locale: body.locale }, { kind: 'customer', id: customer.id }));
  }
}
