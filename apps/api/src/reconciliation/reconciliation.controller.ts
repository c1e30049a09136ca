import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { RequireRole } from '@app/auth';
import { ListRefundMismatches, ReconcileRefunds } from '@app/cases';
import { REFUND_MISMATCH_KINDS, type RefundMismatchKind } from '@app/domain';
import { RefundMismatchListDto, RefundReconciliationReportDto } from './reconciliation-responses.dto';

export class MismatchQueryDto {
  @ApiPropertyOptional({ enum: REFUND_MISMATCH_KINDS })
  @IsOptional()
  @IsIn(REFUND_MISMATCH_KINDS as unknown as string[])
  kind?: RefundMismatchKind;

  @ApiPropertyOptional({ description: 'true: also findings a later pass no longer saw', enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeResolved?: 'true' | 'false';

  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class ReconciliationRunDto {
  @ApiPropertyOptional({ description: 'Refunds created from (ISO 8601); default: REFUND_RECONCILIATION_LOOKBACK_HOURS ago' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Refunds created before (ISO 8601); default: now less REFUND_RECONCILIATION_GRACE_SECONDS' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

/** The refund reconciliation's findings, and a pass on demand, for supervisors. */
@ApiTags('reconciliation')
@ApiBearerAuth()
@RequireRole('supervisor')
@Controller('v1/reconciliation')
export class ReconciliationController {
  constructor(
    private readonly listMismatches: ListRefundMismatches,
    private readonly reconcileRefunds: ReconcileRefunds,
  ) {}

  @Get('refund-mismatches')
  @ApiOperation({ summary: 'Refunds on which we and the wallet disagree (paid_not_recorded, recorded_not_paid, amount_mismatch), newest first' })
  @ApiOkResponse({ type: RefundMismatchListDto })
  mismatches(@Query() query: MismatchQueryDto) {
    return this.listMismatches.execute({ kind: query.kind, includeResolved: query.includeResolved === 'true', limit: query.limit });
  }

  @Post('refunds/run')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run a reconciliation pass now (the workers run one daily); it only records findings, it never moves money' })
  @ApiOkResponse({ type: RefundReconciliationReportDto })
  run(@Body() body: ReconciliationRunDto) {
    return this.reconcileRefunds.execute({ from: body.from ? new Date(body.from) : undefined, to: body.to ? new Date(body.to) : undefined });
  }
}
