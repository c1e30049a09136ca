import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res, StreamableFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  DeleteEvidenceFile,
  EvidenceUploadInterceptor,
  GetMerchantEvidence,
  OpenEvidenceFile,
  StageEvidenceFields,
  StageEvidenceFiles,
  SubmitEvidence,
  UploadedEvidence,
  evidenceDownloadHeaders,
  type EvidenceUpload,
} from '@app/evidence';
import { IdempotencyInterceptor } from '@app/idempotency';
import { AcceptDispute, CurrentMerchant, GetDisputeDecision, GetMerchantDispute, ListMerchantDisputes, type AuthenticatedMerchant } from '@app/merchants';
import { Idempotent, MerchantApi } from './merchant-api';
import { EvidenceResponse, MerchantDecisionResponse, MerchantDisputePageResponse, MerchantDisputeResponse } from './merchant-responses.dto';
import { ListDisputesQueryDto, StageEvidenceDto, SubmitEvidenceDto } from './merchant.dto';

/**
 * The merchant's disputes. Every route is scoped to the merchant of the API key: another
 * merchant's dispute is the same 404 as one that does not exist.
 */
@ApiTags('merchant: disputes')
@MerchantApi()
@Controller('v1/merchant/disputes')
export class MerchantDisputesController {
  constructor(
    private readonly listDisputes: ListMerchantDisputes,
    private readonly getDispute: GetMerchantDispute,
    private readonly getDecision: GetDisputeDecision,
    private readonly acceptDispute: AcceptDispute,
    private readonly stageFields: StageEvidenceFields,
    private readonly stageFiles: StageEvidenceFiles,
    private readonly deleteFile: DeleteEvidenceFile,
    private readonly getEvidence: GetMerchantEvidence,
    private readonly submitEvidence: SubmitEvidence,
    private readonly openFile: OpenEvidenceFile,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List your disputes, newest first (cursor pagination)' })
  @ApiOkResponse({ type: MerchantDisputePageResponse })
  list(@Query() query: ListDisputesQueryDto, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.listDisputes.execute({
      merchantId: merchant.id,
      livemode: merchant.livemode,
      status: query.status,
      dueBefore: query.due_before,
      createdAfter: query.created_after,
      createdBefore: query.created_before,
      cursor: query.cursor,
      limit: query.limit,
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'A dispute: status, amount, reason, evidence_due_by, has_evidence, submission_count' })
  @ApiOkResponse({ type: MerchantDisputeResponse })
  get(@Param('id') id: string, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.getDispute.execute(merchant, id);
  }

  @Get(':id/decision')
  @ApiOperation({ summary: 'The decision (outcome null while undecided) and what was refunded' })
  @ApiOkResponse({ type: MerchantDecisionResponse })
  decision(@Param('id') id: string, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.getDecision.execute(merchant, id);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Accept the dispute: the customer is refunded in full' })
  @ApiOkResponse({ type: MerchantDisputeResponse })
  accept(@Param('id') id: string, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.acceptDispute.execute(merchant, id);
  }

  @Get(':id/evidence')
  @ApiOperation({ summary: 'Staged (draft) and submitted evidence, with your files' })
  @ApiOkResponse({ type: EvidenceResponse })
  evidence(@Param('id') id: string, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.getEvidence.execute(merchant, id);
  }

  @Post(':id/evidence')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Stage text evidence (absent fields are kept, null clears); only while a response is due' })
  @ApiOkResponse({ type: EvidenceResponse })
  stage(@Param('id') id: string, @Body() body: StageEvidenceDto, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.stageFields.execute({ merchantId: merchant.id, livemode: merchant.livemode, disputeId: id, fields: body });
  }

  @Post(':id/evidence/files')
  @HttpCode(200)
  @UseInterceptors(EvidenceUploadInterceptor, IdempotencyInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    description:
      'One or more `file` parts and an optional `category` (receipt, shipping_documentation, customer_communication, refund_policy, uncategorized_file). ' +
      'PDF, PNG, JPEG or UTF-8 plain text, judged by content (415 otherwise). Limits (EVIDENCE_MAX_FILE_BYTES, default 10 MiB per file; EVIDENCE_MAX_CASE_BYTES, default 30 MiB per dispute; 5 files per request) are enforced while the body streams: 413 and nothing stored. Idempotency-Key is honoured.',
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' }, category: { type: 'string' } } },
  })
  @ApiOperation({ summary: 'Upload evidence files (multipart)' })
  @ApiOkResponse({ type: EvidenceResponse })
  upload(@Param('id') id: string, @UploadedEvidence() upload: EvidenceUpload, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.stageFiles.execute({ merchantId: merchant.id, livemode: merchant.livemode, disputeId: id, upload });
  }

  @Delete(':id/evidence/files/:fileId')
  @ApiOperation({ summary: 'Remove a staged (not yet submitted) file' })
  @ApiOkResponse({ type: EvidenceResponse })
  removeFile(@Param('id') id: string, @Param('fileId') fileId: string, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.deleteFile.execute({ merchantId: merchant.id, livemode: merchant.livemode, disputeId: id, fileId });
  }

  @Get(':id/evidence/files/:fileId/content')
  @ApiOperation({ summary: 'Download one of your evidence files' })
  async download(
    @Param('id') id: string,
    @Param('fileId') fileId: string,
    @CurrentMerchant() merchant: AuthenticatedMerchant,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<StreamableFile> {
    const file = await this.openFile.execute({ caseId: id, fileId, reader: { kind: 'merchant', merchantId: merchant.id, livemode: merchant.livemode } });
    response.headers(evidenceDownloadHeaders(file.filename));
    return new StreamableFile(file.stream, { type: file.contentType, length: file.sizeBytes });
  }

  @Post(':id/evidence/submit')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Submit the staged evidence (contests the dispute, or answers a request for information); it is locked afterwards' })
  @ApiOkResponse({ type: MerchantDisputeResponse })
  submit(@Param('id') id: string, @Body() body: SubmitEvidenceDto, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.submitEvidence.execute({ merchantId: merchant.id, livemode: merchant.livemode, disputeId: id, summary: body.summary });
  }
}
