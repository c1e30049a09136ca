import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { REPORT_INTERVALS, type ReportInterval } from '@app/cases';
import { CASE_KINDS, CHANNELS, type CaseKind, type Channel } from '@app/domain';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class ReportQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01', description: 'First day (YYYY-MM-DD, in timeZone); default: 29 days before `to`.' })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Last day, included (YYYY-MM-DD, in timeZone); default: today. At most 366 days after `from`.' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ example: 'Asia/Shanghai', default: 'Asia/Shanghai', description: 'IANA time zone of the days and periods.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @ApiPropertyOptional({ enum: REPORT_INTERVALS, default: 'day', description: 'Period of the series (weeks start on Monday).' })
  @IsOptional()
  @IsIn(REPORT_INTERVALS as unknown as string[])
  interval?: ReportInterval;

  @ApiPropertyOptional({ enum: CASE_KINDS })
  @IsOptional()
  @IsIn(CASE_KINDS as unknown as string[])
  kind?: CaseKind;

  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS as unknown as string[])
  channel?: Channel;

  @ApiPropertyOptional({ description: 'An SLA policy id; unknown ones are a 400.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  policyId?: string;

  @ApiPropertyOptional({ description: 'The assigned agent; unknown ones are a 400.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  agentId?: string;

  @ApiPropertyOptional({ description: 'A merchant id; unknown ones are a 400.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  merchantId?: string;
}

// Answers of GET /v1/reports/:name, one schema per report (`report` tells which), as OpenAPI schemas.

export class ReportFiltersDto {
  @ApiProperty({ description: 'First day, YYYY-MM-DD in timeZone.' }) from!: string;
  @ApiProperty({ description: 'Last day (included).' }) to!: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty({ enum: REPORT_INTERVALS }) interval!: ReportInterval;
  @ApiPropertyOptional({ enum: CASE_KINDS }) kind?: CaseKind;
  @ApiPropertyOptional({ enum: CHANNELS }) channel?: Channel;
  @ApiPropertyOptional() policyId?: string;
  @ApiPropertyOptional() agentId?: string;
  @ApiPropertyOptional() merchantId?: string;
}

class ReportBaseDto {
  @ApiProperty({ type: ReportFiltersDto, description: 'The filters applied, defaults filled in.' }) filters!: ReportFiltersDto;
  @ApiProperty() generatedAt!: string;
}

export class ReportMoneyDto {
  @ApiProperty() currency!: string;
  @ApiProperty({ description: 'Integer minor units.' }) amountMinor!: number;
}

export class ComplianceDto {
  @ApiProperty() met!: number;
  @ApiProperty() breached!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'met / (met + breached); null when no clock finished.' }) rate!: number | null;
}

export class DurationDto {
  @ApiProperty() count!: number;
  @ApiProperty({ type: Number, nullable: true, description: "Minutes in the clock's mode." }) medianMinutes!: number | null;
  @ApiProperty({ type: Number, nullable: true }) p90Minutes!: number | null;
}

export class VolumeTotalsDto {
  @ApiProperty() opened!: number;
  @ApiProperty() closed!: number;
}

export class VolumePeriodDto extends VolumeTotalsDto {
  @ApiProperty() period!: string;
}

export class VolumeReportDto extends ReportBaseDto {
  @ApiProperty({ enum: ['volume'] }) report!: 'volume';
  @ApiProperty({ type: VolumeTotalsDto }) totals!: VolumeTotalsDto;
  @ApiProperty({ type: [VolumePeriodDto] }) periods!: VolumePeriodDto[];
}

export class TargetDurationDto extends DurationDto {
  @ApiProperty() target!: string;
}

export class PeriodTargetDurationDto extends TargetDurationDto {
  @ApiProperty() period!: string;
}

export class ResponseTimesReportDto extends ReportBaseDto {
  @ApiProperty({ enum: ['response-times'] }) report!: 'response-times';
  @ApiProperty({ type: [TargetDurationDto] }) targets!: TargetDurationDto[];
  @ApiProperty({ type: [PeriodTargetDurationDto] }) periods!: PeriodTargetDurationDto[];
}

export class PolicyComplianceDto extends ComplianceDto {
  @ApiProperty() policyId!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
}

export class AgentComplianceDto extends ComplianceDto {
  @ApiProperty({ type: String, nullable: true }) agentId!: string | null;
  @ApiProperty({ type: String, nullable: true }) displayName!: string | null;
}

export class WeekComplianceDto extends ComplianceDto {
  @ApiProperty() week!: string;
}

export class SlaComplianceReportDto extends ReportBaseDto {
  @ApiProperty({ enum: ['sla-compliance'] }) report!: 'sla-compliance';
  @ApiProperty({ type: ComplianceDto }) totals!: ComplianceDto;
  @ApiProperty({ type: [PolicyComplianceDto] }) byPolicy!: PolicyComplianceDto[];
  @ApiProperty({ type: [AgentComplianceDto] }) byAgent!: AgentComplianceDto[];
  @ApiProperty({ type: [WeekComplianceDto] }) byWeek!: WeekComplianceDto[];
}

export class DisputeOutcomeCountsDto {
  @ApiProperty() won!: number;
  @ApiProperty() lost!: number;
  @ApiProperty() withdrawn!: number;
  @ApiProperty({ type: [ReportMoneyDto], description: 'Per currency.' }) refunded!: ReportMoneyDto[];
}

export class DisputeOutcomeRowDto extends DisputeOutcomeCountsDto {
  @ApiProperty({ type: String, nullable: true }) merchantId!: string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
}

export class DisputeOutcomesReportDto extends ReportBaseDto {
  @ApiProperty({ enum: ['dispute-outcomes'] }) report!: 'dispute-outcomes';
  @ApiProperty({ type: DisputeOutcomeCountsDto }) totals!: DisputeOutcomeCountsDto;
  @ApiProperty({ type: [DisputeOutcomeRowDto] }) rows!: DisputeOutcomeRowDto[];
}

export class RefundRequestPeriodDto {
  @ApiProperty() period!: string;
  @ApiProperty() approved!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty() withdrawn!: number;
}

export class RefundRequestTotalsDto {
  @ApiProperty() approved!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty() withdrawn!: number;
  @ApiProperty({ type: [ReportMoneyDto], description: 'Per currency.' }) refunded!: ReportMoneyDto[];
}

export class RefundRequestsReportDto extends ReportBaseDto {
  @ApiProperty({ enum: ['refund-requests'] }) report!: 'refund-requests';
  @ApiProperty({ type: RefundRequestTotalsDto }) totals!: RefundRequestTotalsDto;
  @ApiProperty({ type: [RefundRequestPeriodDto] }) periods!: RefundRequestPeriodDto[];
}

export class RatingTotalsDto {
  @ApiProperty() count!: number;
  @ApiProperty({ type: Number, nullable: true }) average!: number | null;
}

export class RatingPeriodDto extends RatingTotalsDto {
  @ApiProperty() period!: string;
}

export class RatingScoreCountDto {
  @ApiProperty() score!: number;
  @ApiProperty() count!: number;
}

export class RatingsReportDto extends ReportBaseDto {
  @ApiProperty({ enum: ['ratings'] }) report!: 'ratings';
  @ApiProperty({ type: RatingTotalsDto }) totals!: RatingTotalsDto;
  @ApiProperty({ type: [RatingScoreCountDto] }) distribution!: RatingScoreCountDto[];
  @ApiProperty({ type: [RatingPeriodDto] }) periods!: RatingPeriodDto[];
}

/** Every report's schema, for the route's `oneOf`. */
export const REPORT_RESPONSES = [VolumeReportDto, ResponseTimesReportDto, SlaComplianceReportDto, DisputeOutcomesReportDto, RefundRequestsReportDto, RatingsReportDto];
