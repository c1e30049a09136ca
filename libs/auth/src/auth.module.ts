import { Module } from '@nestjs/common';
import { AgentSessions } from './agent-sessions';
import { AgentAuthGuard } from './auth.guard';
import { CreateAgent, ListAgents } from './create-agent';
import { PasswordHasher } from './password-hasher';

@Module({
  providers: [PasswordHasher, AgentSessions, CreateAgent, ListAgents, AgentAuthGuard],
  exports: [PasswordHasher, AgentSessions, CreateAgent, ListAgents, AgentAuthGuard],
})
export class AuthModule {}
