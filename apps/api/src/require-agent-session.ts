import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AgentSessions, tokenFrom } from '@app/auth';
import { AGENT_ROLES, DomainErrorCode, type AgentRole } from '@app/domain';
import { sendError } from '@app/http';

/**
 * For pages served outside Nest's controllers (the queue dashboard, the OpenAPI pages): an agent
 * session of at least `minimum` role, checked as the API's guard checks it (same cookie or Bearer
 * token, a session still enrolling its second factor is refused), with the API's error shape. A
 * Fastify `onRequest` hook: the request goes on only if it resolves without answering.
 */
export function requireAgentSession(sessions: AgentSessions, minimum: AgentRole, what: string) {
  const logger = new Logger(what);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    try {
      const token = tokenFrom(request);
      const agent = token ? await sessions.resolve(token) : null;
      if (!agent) return sendError(request, reply, 401, { code: DomainErrorCode.Unauthenticated, message: 'Log in first: no valid session.' });
      if (agent.totpEnrolmentRequired) return sendError(request, reply, 403, { code: DomainErrorCode.TotpEnrolmentRequired, message: 'Set up two-factor login first.' });
      if (AGENT_ROLES.indexOf(agent.role) < AGENT_ROLES.indexOf(minimum)) {
        return sendError(request, reply, 403, { code: DomainErrorCode.Forbidden, message: `This needs the ${minimum} role.` });
      }
      return undefined;
    } catch (error) {
      // The session store (PostgreSQL) is unreachable: say so, never a bare 500.
      const errorId = randomUUID();
      logger.error(`error ${errorId}: ${error instanceof Error ? error.stack : String(error)}`);
      return reply.sent ? reply : sendError(request, reply, 503, { code: 'SERVICE_UNAVAILABLE', message: 'Sessions cannot be checked right now. Try again shortly.', errorId });
    }
  };
}
