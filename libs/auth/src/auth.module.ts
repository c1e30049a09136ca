import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { AgentSessions } from './agent-sessions';
import { AgentAuthGuard } from './auth.guard';
import { CreateAgent } from './create-agent';
import { ListAgents } from './use-cases/list-agents';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { SessionRevocations } from './session-revocations';
import { TotpCodes } from './totp/totp-codes';
import { ConfirmTotpEnrolment } from './use-cases/confirm-totp-enrolment';
import { ResetAgentTotp } from './use-cases/reset-agent-totp';
import { SetAgentPassword } from './use-cases/set-agent-password';
import { StartTotpEnrolment } from './use-cases/start-totp-enrolment';
import { UpdateAgent } from './use-cases/update-agent';

@Module({
  imports: [AuditModule],
  providers: [
    PasswordHasher,
    LoginThrottle,
    TotpCodes,
    SessionRevocations,
    AgentSessions,
    CreateAgent,
    ListAgents,
    UpdateAgent,
    SetAgentPassword,
    StartTotpEnrolment,
    ConfirmTotpEnrolment,
    ResetAgentTotp,
    AgentAuthGuard,
  ],
  exports: [
    PasswordHasher,
    SessionRevocations,
    AgentSessions,
    CreateAgent,
    ListAgents,
    UpdateAgent,
    SetAgentPassword,
    StartTotpEnrolment,
    ConfirmTotpEnrolment,
    ResetAgentTotp,
    AgentAuthGuard,
  ],
})
export class AuthModule {}
