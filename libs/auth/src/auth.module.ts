import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { AgentSessions } from './agent-sessions';
import { AgentAuthGuard } from './auth.guard';
import { CreateAgent, ListAgents } from './create-agent';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { SetAgentPassword } from './use-cases/set-agent-password';
import { UpdateAgent } from './use-cases/update-agent';

@Module({
  imports: [AuditModule],
  providers: [PasswordHasher, LoginThrottle, AgentSessions, CreateAgent, ListAgents, UpdateAgent, SetAgentPassword, AgentAuthGuard],
  exports: [PasswordHasher, AgentSessions, CreateAgent, ListAgents, UpdateAgent, SetAgentPassword, AgentAuthGuard],
})
export class AuthModule {}
