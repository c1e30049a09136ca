import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { AnchorCaseLogs, CaseLogVerifier } from '@app/audit';
import { RequireRole } from '@app/auth';
import { AnchorPageDto, CaseLogProofDto } from './audit-responses.dto';

export class AnchorsQuery {
  @ApiPropertyOptional({ description: 'the id of the last anchor of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,18}$/)
  before?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

/** The tamper-evident case log: proofs per case, anchors (supervisors read, admins anchor now). */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1')
export class CaseLogController {
  constructor(
    private readonly verifier: CaseLogVerifier,
    private readonly anchorCaseLogs: AnchorCaseLogs,
  ) {}

  @RequireRole('supervisor')
  @Get('cases/:id/audit-proof')
  @ApiOperation({ summary: "Verify a case's hash-chained timeline: valid or the rows that fail, the chain, its head and the newest anchor vouching for it" })
  @ApiOkResponse({ type: CaseLogProofDto })
  proof(@Param('id') id: string) {
    return this.verifier.verifyCase(id);
  }

  @RequireRole('supervisor')
  @Get('audit/anchors')
  @ApiOperation({ summary: 'Anchors of the case logs, newest first (copy their hashes to a store outside this database)' })
  @ApiOkResponse({ type: AnchorPageDto })
  anchors(@Query() query: AnchorsQuery) {
    return this.verifier.listAnchors(query);
  }

  @RequireRole('admin')
  @Post('audit/anchors')
  @HttpCode(200)
  @ApiOperation({ summary: 'Anchor the case heads that moved since the last anchor, now (the workers do it every AUDIT_ANCHOR_INTERVAL_SECONDS)' })
  anchorNow() {
    return this.anchorCaseLogs.execute();
  }
}
