import { Controller, Get, HttpCode, Param, Post, Res, StreamableFile, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentAgent, type AuthenticatedAgent } from '@app/auth';
import { CaseEvidenceDto, UploadedCustomerEvidenceDto } from './evidence-responses.dto';
import {
  AgentEvidenceUploadInterceptor,
  CUSTOMER_EVIDENCE_CATEGORIES,
  ListCaseEvidence,
  OpenEvidenceFile,
  UploadEvidenceForCustomer,
  UploadedEvidence,
  evidenceDownloadHeaders,
  type EvidenceUpload,
} from '@app/evidence';

/** Agents see every piece of evidence on a case, whoever uploaded it. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
export class CaseEvidenceController {
  constructor(
    private readonly listCaseEvidence: ListCaseEvidence,
    private readonly openFile: OpenEvidenceFile,
    private readonly uploadForCustomer: UploadEvidenceForCustomer,
  ) {}

  @Get(':id/evidence')
  @ApiOperation({ summary: "Evidence of the case: the merchant's drafts and submissions, and the customer's files (customer_files)" })
  @ApiOkResponse({ type: CaseEvidenceDto })
  list(@Param('id') id: string) {
    return this.listCaseEvidence.execute(id);
  }

  @Get(':id/evidence/files/:fileId/content')
  @ApiOperation({ summary: 'Download an evidence file (always as an attachment)' })
  async download(@Param('id') id: string, @Param('fileId') fileId: string, @Res({ passthrough: true }) response: FastifyReply): Promise<StreamableFile> {
    const file = await this.openFile.execute({ caseId: id, fileId, reader: { kind: 'agent' } });
    response.headers(evidenceDownloadHeaders(file.filename));
    return new StreamableFile(file.stream, { type: file.contentType, length: file.sizeBytes });
  }

  @Post(':id/evidence/files')
  @HttpCode(200)
  @UseInterceptors(AgentEvidenceUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    description:
      `Evidence for the customer (e.g. a photo a hotline caller emailed): one or more \`file\` parts, \`party=customer\` and a \`category\` (${CUSTOMER_EVIDENCE_CATEGORIES.join(', ')}; default other). ` +
      "Recorded as the customer's evidence, uploaded by you. Same file rules and limits as merchant evidence (PDF, PNG, JPEG, text by content; 413 over a limit, nothing stored).",
    schema: {
      type: 'object',
      properties: {
        file: { type: 'string', format: 'binary' },
        party: { type: 'string', enum: ['customer'] },
        category: { type: 'string', enum: [...CUSTOMER_EVIDENCE_CATEGORIES] },
      },
    },
  })
  @ApiOperation({ summary: "Upload evidence on the customer's behalf (multipart)" })
  @ApiOkResponse({ type: UploadedCustomerEvidenceDto })
  upload(@Param('id') id: string, @UploadedEvidence() upload: EvidenceUpload, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.uploadForCustomer.execute({ caseId: id, agentId: agent.id, upload });
  }
}
