import type { AdminAuditActor } from '@app/audit';
import type { AuthenticatedAgent } from './agent-sessions';

/** The signed-in agent as the admin audit log records them: their id, and their email to read it by. */
export const adminAuditActor = (agent: AuthenticatedAgent): AdminAuditActor => ({ id: agent.id, label: agent.email });
