import { Controller, Get, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ListCaseEvidence, OpenEvidenceFile, contentDisposition } from '@app/evidence';

/** Agents see every piece of evidence on a case, whoever uploaded it. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
export class CaseEvidenceController {
  constructor(
    private readonly listCaseEvidence: ListCaseEvidence,
    private readonly openFile: OpenEvidenceFile,
  ) {}

  @Get(':id/evidence')
  @ApiOperation({ summary: 'Evidence of the case: drafts, submissions, every file' })
  list(@Param('id') id: string) {
    return this.listCaseEvidence.execute(id);
  }

  @Get(':id/evidence/files/:fileId/content')
  @ApiOperation({ summary: 'Download an evidence file (always as an attachment)' })
  async download(@Param('id') id: string, @Param('fileId') fileId: string, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    const file = await this.openFile.execute({ caseId: id, fileId, reader: { kind: 'agent' } });
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(file.stream, { type: file.contentType, disposition: contentDisposition(file.filename), length: file.sizeBytes });
  }
}
