import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CurrentAgent, RequireRole, type AuthenticatedAgent } from '@app/auth';
import { ListApprovals, MAX_APPROVALS_PAGE } from '@app/cases';
import { ApprovalPageDto } from '../cases/case-responses.dto';

export class ListApprovalsQueryDto {
  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_APPROVALS_PAGE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_APPROVALS_PAGE)
  limit?: number;
}

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('v1/approvals')
export class ApprovalsController {
  constructor(private readonly listApprovals: ListApprovals) {}

  /** Approvers are supervisors and admins; the queue shows each item with the events this person may decide it with. */
  @RequireRole('supervisor')
  @Get()
  @ApiOperation({ summary: 'Proposals waiting for a second person (maker–checker), longest waiting first' })
  @ApiOkResponse({ type: ApprovalPageDto })
  list(@Query() query: ListApprovalsQueryDto, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.listApprovals.execute(query, { kind: 'agent', id: agent.id, role: agent.role, label: agent.email });
  }
}
