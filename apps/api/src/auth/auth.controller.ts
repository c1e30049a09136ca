import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  adminAuditActor,
  AgentSessions,
  AllowDuringTotpEnrolment,
  ConfirmTotpEnrolment,
  CreateAgent,
  CurrentAgent,
  ListAgents,
  Public,
  RequireRole,
  sessionCookie,
  ResetAgentTotp,
  SetAgentPassword,
  StartTotpEnrolment,
  tokenFrom,
  UpdateAgent,
  type AuthenticatedAgent,
} from '@app/auth';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AGENT_ROLES, type AgentRole } from '@app/domain';
import { PageQuery } from '../page-query';
import { AgentAccountDto, AgentDto, AgentPageDto, LoginResponseDto, RecoveryCodesDto, TotpEnrolmentDto } from './auth-responses.dto';

export class LoginDto {
  @ApiProperty({ example: 'admin@example.com' })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  password!: string;
}

export class LoginWithSecondFactorDto extends LoginDto {
  @ApiPropertyOptional({ description: 'the current 6-digit code, for agents with two-factor login on' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  totpCode?: string;

  @ApiPropertyOptional({ description: 'a one-time recovery code instead of the code' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  recoveryCode?: string;
}

export class TotpCodeDto {
  @ApiProperty({ example: '123456' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  code!: string;
}

export class CreateAgentDto extends LoginDto {
  @ApiProperty({ example: '李娜' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  displayName!: string;

  @ApiProperty({ enum: AGENT_ROLES })
  @IsIn(AGENT_ROLES as unknown as string[])
  role!: AgentRole;

  @ApiProperty({ enum: ['zh-CN', 'en'], required: false })
  @IsOptional()
  @IsIn(['zh-CN', 'en'])
  locale?: 'zh-CN' | 'en';
}

export class UpdateAgentDto {
  @ApiPropertyOptional({ enum: AGENT_ROLES })
  @IsOptional()
  @IsIn(AGENT_ROLES as unknown as string[])
  role?: AgentRole;

  @ApiPropertyOptional({ description: 'false deactivates the agent and ends every session of theirs at once' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  displayName?: string;

  @ApiPropertyOptional({ enum: ['zh-CN', 'en'] })
  @IsOptional()
  @IsIn(['zh-CN', 'en'])
  locale?: 'zh-CN' | 'en';
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'The new password (at least 10 characters); every session of the agent ends' })
  @IsString()
  @MaxLength(500)
  newPassword!: string;
}

export class ChangeOwnPasswordDto extends ResetPasswordDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  currentPassword!: string;
}

export class ListAgentsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'admins: include deactivated agents' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeInactive?: 'true' | 'false';
}

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly sessions: AgentSessions,
    private readonly setPassword: SetAgentPassword,
    private readonly startTotpEnrolment: StartTotpEnrolment,
    private readonly confirmTotpEnrolment: ConfirmTotpEnrolment,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Returns the token for API clients and sets it as an httpOnly cookie for the admin UI. */
  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseDto })
  async login(@Body() body: LoginWithSecondFactorDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply) {
    const session = await this.sessions.login(body.email, body.password, request.ip ?? 'unknown', { totpCode: body.totpCode, recoveryCode: body.recoveryCode });
    response.header('Set-Cookie', sessionCookie(session.token, session.expiresAt, this.config.auth.cookieSecure));
    return { token: session.token, expiresAt: session.expiresAt.toISOString(), agent: session.agent };
  }

  @ApiBearerAuth()
  @AllowDuringTotpEnrolment()
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply): Promise<void> {
    const token = tokenFrom(request);
    if (token) await this.sessions.logout(token);
    response.header('Set-Cookie', sessionCookie('', new Date(0), this.config.auth.cookieSecure));
  }

  @ApiBearerAuth()
  @AllowDuringTotpEnrolment()
  @Get('me')
  @ApiOkResponse({ type: AgentDto })
  me(@CurrentAgent() agent: AuthenticatedAgent) {
    return agent;
  }

  /** A new TOTP seed for the caller's authenticator app (secret and otpauth:// URL for a QR code); login is unchanged until confirmed. */
  @ApiBearerAuth()
  @AllowDuringTotpEnrolment()
  @Post('totp/enrolment')
  @HttpCode(200)
  @ApiOkResponse({ type: TotpEnrolmentDto })
  startEnrolment(@CurrentAgent() agent: AuthenticatedAgent) {
    return this.startTotpEnrolment.execute(agent.id);
  }

  /** Confirms the enrolment with a current code: two-factor login is on; answers ten recovery codes, shown once. */
  @ApiBearerAuth()
  @AllowDuringTotpEnrolment()
  @Post('totp/activation')
  @HttpCode(200)
  @ApiOkResponse({ type: RecoveryCodesDto })
  confirmEnrolment(@Body() body: TotpCodeDto, @CurrentAgent() agent: AuthenticatedAgent, @Req() request: FastifyRequest) {
    return this.confirmTotpEnrolment.execute({ agentId: agent.id, code: body.code, keepSessionToken: tokenFrom(request)! }, adminAuditActor(agent));
  }

  /** Changes the caller's own password; their other sessions end, this one stays. */
  @ApiBearerAuth()
  @Post('password')
  @HttpCode(204)
  async changeOwnPassword(@Body() body: ChangeOwnPasswordDto, @CurrentAgent() agent: AuthenticatedAgent, @Req() request: FastifyRequest): Promise<void> {
    await this.setPassword.execute(
      { kind: 'changed_by_self', agentId: agent.id, currentPassword: body.currentPassword, newPassword: body.newPassword, keepSessionToken: tokenFrom(request)! },
      adminAuditActor(agent),
    );
  }
}

@ApiTags('agents')
@ApiBearerAuth()
@Controller('v1/agents')
export class AgentsController {
  constructor(
    private readonly createAgent: CreateAgent,
    private readonly listAgents: ListAgents,
    private readonly updateAgent: UpdateAgent,
    private readonly setPassword: SetAgentPassword,
    private readonly resetTotp: ResetAgentTotp,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Agents by name, a page at a time; supervisors and admins also see two-factor status and last login' })
  @ApiOkResponse({ type: AgentPageDto })
  list(@Query() query: ListAgentsQuery, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.listAgents.execute({
      includeInactive: query.includeInactive === 'true' && agent.role === 'admin',
      withAccountStatus: agent.role !== 'agent',
      cursor: query.cursor,
      limit: query.limit,
    });
  }

  @RequireRole('admin')
  @Post()
  @ApiCreatedResponse({ type: AgentDto })
  create(@Body() body: CreateAgentDto, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.createAgent.execute(body, adminAuditActor(agent));
  }

  @RequireRole('admin')
  @Patch(':id')
  @ApiOkResponse({ type: AgentAccountDto })
  update(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateAgentDto, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.updateAgent.execute({ agentId: id, ...body }, adminAuditActor(agent));
  }

  @RequireRole('admin')
  @Post(':id/password')
  @HttpCode(204)
  async resetPassword(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: ResetPasswordDto, @CurrentAgent() agent: AuthenticatedAgent): Promise<void> {
    await this.setPassword.execute({ kind: 'reset_by_admin', agentId: id, newPassword: body.newPassword }, adminAuditActor(agent));
  }

  /** Turns another agent's two-factor login off (lost phone and codes); their sessions end. */
  @RequireRole('admin')
  @Delete(':id/totp')
  @HttpCode(204)
  async resetTwoFactor(@Param('id', new ParseUUIDPipe()) id: string, @CurrentAgent() agent: AuthenticatedAgent): Promise<void> {
    await this.resetTotp.execute(id, adminAuditActor(agent));
  }
}
