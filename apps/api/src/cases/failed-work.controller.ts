import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { RequireRole } from '@app/auth';
import { DEFAULT_FAILED_WORK_CASES, ListFailedWork, MAX_FAILED_WORK_CASES } from '@app/cases';
import { FailedWorkPageDto } from './failed-work-responses.dto';

export class FailedWorkQueryDto {
  @ApiPropertyOptional({ default: DEFAULT_FAILED_WORK_CASES, minimum: 1, maximum: MAX_FAILED_WORK_CASES, description: 'Cases to list' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_FAILED_WORK_CASES)
  limit?: number;
}

/** What BullMQ gave up on, by case, for the supervisors who redrive it. */
@ApiTags('cases')
@ApiBearerAuth()
@RequireRole('supervisor')
@Controller('v1/failed-work')
export class FailedWorkController {
  constructor(private readonly listFailedWork: ListFailedWork) {}

  @Get()
  @ApiOperation({
    summary: 'Cases with failed effects or deadlines (BullMQ gave up), the longest waiting first; redrive each with POST /v1/cases/:id/effects/redrive and …/deadlines/redrive',
  })
  @ApiOkResponse({ type: FailedWorkPageDto })
  list(@Query() query: FailedWorkQueryDto) {
    return this.listFailedWork.execute({ limit: query.limit });
  }
}
