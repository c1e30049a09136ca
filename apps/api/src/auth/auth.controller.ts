import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { AgentSessions, CreateAgent, CurrentAgent, ListAgents, Public, RequireRole, SESSION_COOKIE, tokenFrom, type AuthenticatedAgent } from '@app/auth';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AGENT_ROLES, type AgentRole } from '@app/domain';

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

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly sessions: AgentSessions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Returns the token for API clients and sets it as an httpOnly cookie for the admin UI. */
  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Res({ passthrough: true }) response: Response) {
    const session = await this.sessions.login(body.email, body.password);
    response.cookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.auth.cookieSecure,
      expires: session.expiresAt,
      path: '/',
    });
    return { token: session.token, expiresAt: session.expiresAt.toISOString(), agent: session.agent };
  }

  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    const token = tokenFrom(request);
    if (token) await this.sessions.logout(token);
    response.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentAgent() agent: AuthenticatedAgent) {
    return agent;
  }
}

@ApiTags('agents')
@ApiBearerAuth()
@Controller('v1/agents')
export class AgentsController {
  constructor(
    private readonly createAgent: CreateAgent,
    private readonly listAgents: ListAgents,
  ) {}

  @Get()
  list() {
    return this.listAgents.execute();
  }

  @RequireRole('admin')
  @Post()
  create(@Body() body: CreateAgentDto) {
    return this.createAgent.execute(body);
  }
}
