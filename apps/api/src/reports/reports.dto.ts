import { ApiPropertyOptional } from '@nestjs/swagger';
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
