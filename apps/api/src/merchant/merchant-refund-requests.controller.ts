import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ListSharedCustomerEvidence, OpenEvidenceFile, evidenceDownloadHeaders } from '@app/evidence';
import { ApproveRefundRequest, CurrentMerchant, GetMerchantRefundRequest, ListMerchantRefundRequests, RejectRefundRequest, type AuthenticatedMerchant } from '@app/merchants';
import { Idempotent, MerchantApi } from './merchant-api';
import { EvidenceFileListResponse, MerchantRefundRequestPageResponse, MerchantRefundRequestResponse } from './merchant-responses.dto';
import { ApproveRefundRequestDto, ListRefundRequestsQueryDto, RejectRefundRequestDto } from './merchant-refund-requests.dto';

/**
 * The merchant's refund requests: a customer asks for their money back, the merchant approves (in
 * full or in part, within the refund policy) or rejects with a reason. Scoped to the merchant of
 * the API key: another merchant's request is the same 404 as one that does not exist.
 */
@ApiTags('merchant: refund requests')
@MerchantApi()
@Controller('v1/merchant/refund-requests')
export class MerchantRefundRequestsController {
  constructor(
    private readonly listRequests: ListMerchantRefundRequests,
    private readonly getRequest: GetMerchantRefundRequest,
    private readonly approveRequest: ApproveRefundRequest,
    private readonly rejectRequest: RejectRefundRequest,
    private readonly sharedEvidence: ListSharedCustomerEvidence,
    private readonly openFile: OpenEvidenceFile,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List your refund requests, newest first (cursor pagination)' })
  @ApiOkResponse({ type: MerchantRefundRequestPageResponse })
  list(@Query() query: ListRefundRequestsQueryDto, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.listRequests.execute({
      merchantId: merchant.id,
      livemode: merchant.livemode,
      status: query.status,
      createdAfter: query.created_after,
      createdBefore: query.created_before,
      cursor: query.cursor,
      limit: query.limit,
    });
  }

  @Get(':id')
  @ApiOperation({ summary: "A refund request: the customer's claim, the policy, what is refundable, respond_by, the decision" })
  @ApiOkResponse({ type: MerchantRefundRequestResponse })
  get(@Param('id') id: string, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.getRequest.execute(merchant, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Approve: refund everything the policy allows, or `amount` (a partial refund); the refund goes out through the wallet' })
  @ApiOkResponse({ type: MerchantRefundRequestResponse })
  approve(@Param('id') id: string, @Body() body: ApproveRefundRequestDto, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.approveRequest.execute({ merchantId: merchant.id, livemode: merchant.livemode, refundRequestId: id, amount: body.amount, reason: body.reason });
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Reject with a reason; the customer may contest it once, and support then decides' })
  @ApiOkResponse({ type: MerchantRefundRequestResponse })
  reject(@Param('id') id: string, @Body() body: RejectRefundRequestDto, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.rejectRequest.execute({ merchantId: merchant.id, livemode: merchant.livemode, refundRequestId: id, reason: body.reason });
  }

  @Get(':id/customer-evidence')
  @ApiOperation({ summary: "The customer's evidence files support shared with you (only those)" })
  @ApiOkResponse({ type: EvidenceFileListResponse })
  customerEvidence(@Param('id') id: string, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.sharedEvidence.execute({ merchant, caseId: id, caseKind: 'refund_request' });
  }

  @Get(':id/customer-evidence/:fileId/content')
  @ApiOperation({ summary: 'Download a customer evidence file shared with you' })
  async download(
    @Param('id') id: string,
    @Param('fileId') fileId: string,
    @CurrentMerchant() merchant: AuthenticatedMerchant,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<StreamableFile> {
    const file = await this.openFile.execute({
      caseId: id,
      fileId,
      reader: { kind: 'merchant', merchantId: merchant.id, livemode: merchant.livemode, caseKind: 'refund_request' },
    });
    response.headers(evidenceDownloadHeaders(file.filename));
    return new StreamableFile(file.stream, { type: file.contentType, length: file.sizeBytes });
  }
}
