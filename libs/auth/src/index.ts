export { AuthModule } from './auth.module';
export { AgentSessions, type AuthenticatedAgent } from './agent-sessions';
export { COMMAND_LINE_ACTOR, CreateAgent, ListAgents, MIN_PASSWORD_LENGTH, type CreateAgentCommand } from './create-agent';
export { AgentAuthGuard, CurrentAgent, Public, RequireRole, SESSION_COOKIE, tokenFrom } from './auth.guard';
export { PasswordHasher } from './password-hasher';
export { SetAgentPassword, type SetAgentPasswordCommand } from './use-cases/set-agent-password';
export { UpdateAgent, type UpdateAgentCommand } from './use-cases/update-agent';
