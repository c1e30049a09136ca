import { Readable } from 'node:stream';
import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { CurrentAgent, RequireRole, type AuthenticatedAgent } from '@app/auth';
import { ExportCaseReport, ExportCases, GetCaseReport, REPORT_NAMES, type CsvExport } from '@app/cases';
import { ListCasesQueryDto } from '../cases/case.dto';
import { REPORT_RESPONSES, ReportQueryDto } from './reports.dto';

function csvFile(file: CsvExport): StreamableFile {
  return new StreamableFile(Readable.from(file.chunks), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${file.filename}"` });
}

/** Supervisors' reports; the UI shows them to supervisors and admins, and the API enforces the same. */
@ApiTags('reports')
@ApiBearerAuth()
@ApiExtraModels(...REPORT_RESPONSES)
@Controller('v1/reports')
export class ReportsController {
  constructor(
    private readonly getReport: GetCaseReport,
    private readonly exportReport: ExportCaseReport,
  ) {}

  @RequireRole('supervisor')
  @Get(':name')
  @ApiParam({ name: 'name', enum: REPORT_NAMES })
  @ApiOperation({
    summary: 'A report over the cases opened in a date range, filterable by kind, channel, SLA policy, agent and merchant',
    description:
      'Test-mode cases are never counted. Counts, sums and rates are exact. Without agentId or merchantId, in the Asia/Shanghai time zone (the default), ' +
      'the report reads per-day rollups: medianMinutes and p90Minutes of response-times are then read from histogram buckets (exact up to 20 minutes, ' +
      '5% wide above) and are at most 2.5% from the exact figure. With agentId or merchantId, or another timeZone, they are exact to the minute.',
  })
  @ApiOkResponse({ schema: { oneOf: REPORT_RESPONSES.map((type) => ({ $ref: getSchemaPath(type) })) } })
  report(@Param('name') name: string, @Query() query: ReportQueryDto) {
    return this.getReport.execute(name, query);
  }

  @RequireRole('supervisor')
  @Get(':name/csv')
  @ApiParam({ name: 'name', enum: REPORT_NAMES })
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The report as CSV (UTF-8 with BOM, formula-like cells guarded)' })
  async reportCsv(@Param('name') name: string, @Query() query: ReportQueryDto) {
    return csvFile(await this.exportReport.execute(name, query));
  }
}

/** The case list as CSV: every agent may export the list they can see, with the queue's filters. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases/export')
export class CaseExportController {
  constructor(private readonly exportCases: ExportCases) {}

  @Get()
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The case list as streamed CSV, newest first, with the same filters as GET /v1/cases (UTF-8 with BOM, formula-like cells guarded)' })
  export(@Query() query: ListCasesQueryDto, @CurrentAgent() agent: AuthenticatedAgent) {
    const { cursor: _cursor, limit: _limit, sort: _sort, ...filters } = query;
    return csvFile(
      this.exportCases.execute({
        ...filters,
        assigneeId: filters.assigneeId === 'me' ? agent.id : filters.assigneeId,
        escalated: filters.escalated === undefined ? undefined : filters.escalated === 'true',
        dueBefore: filters.dueBefore ? new Date(filters.dueBefore) : undefined,
        livemode: filters.livemode !== 'false',
      }),
    );
  }
}
