import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AGENT_ROLES, type AgentRole } from '@app/domain';

/** The auth and agent routes' answers, as OpenAPI schemas (the admin UI's types are generated from them). */

export class AgentDto {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: AGENT_ROLES }) role!: AgentRole;
  @ApiProperty({ enum: ['zh-CN', 'en'] }) locale!: 'zh-CN' | 'en';
  @ApiPropertyOptional({ description: 'Sessions only: the role needs two-factor login and it is not set up yet, so the session may only enrol.' })
  totpEnrolmentRequired?: boolean;
}

export class AgentAccountDto extends AgentDto {
  @ApiProperty() active!: boolean;
  @ApiPropertyOptional({ description: 'Supervisors and admins only.' }) totpEnabled?: boolean;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Supervisors and admins only.' }) lastLoginAt?: string | null;
}

export class AgentPageDto {
  @ApiProperty({ type: [AgentAccountDto] }) data!: AgentAccountDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class LoginResponseDto {
  @ApiProperty() token!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ type: AgentDto }) agent!: AgentDto;
}

export class TotpEnrolmentDto {
  @ApiProperty() secret!: string;
  @ApiProperty() otpauthUrl!: string;
}

export class RecoveryCodesDto {
  @ApiProperty({ type: [String], description: 'Shown this once.' }) recoveryCodes!: string[];
}
