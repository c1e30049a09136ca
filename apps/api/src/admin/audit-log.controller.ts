import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { AdminAuditLog } from '@app/audit';
import { RequireRole } from '@app/auth';
import { AdminAuditPageDto } from '../audit/audit-responses.dto';

export class AuditLogQuery {
  @ApiPropertyOptional({ description: 'the id of the last entry of the previous page' })
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

  @ApiPropertyOptional({ example: 'agent' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  targetType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  targetId?: string;
}

/** The append-only log of administrative actions, newest first; admins only. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin/audit-log')
export class AuditLogController {
  constructor(private readonly auditLog: AdminAuditLog) {}

  @RequireRole('admin')
  @Get()
  @ApiOkResponse({ type: AdminAuditPageDto })
  list(@Query() query: AuditLogQuery) {
    return this.auditLog.list(query);
  }
}
