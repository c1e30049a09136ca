export { AuthModule } from './auth.module';
export { AgentSessions, type AuthenticatedAgent } from './agent-sessions';
export { CreateAgent, ListAgents, MIN_PASSWORD_LENGTH, type CreateAgentCommand } from './create-agent';
export { AgentAuthGuard, CurrentAgent, Public, RequireRole, SESSION_COOKIE, tokenFrom } from './auth.guard';
export { PasswordHasher } from './password-hasher';
