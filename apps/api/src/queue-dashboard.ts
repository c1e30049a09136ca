import { randomUUID } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Logger } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { AgentSessions, tokenFrom } from '@app/auth';
import { AGENT_ROLES, DomainErrorCode } from '@app/domain';
import { QUEUES } from '@app/queues';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Only an agent session of role supervisor or admin may see the board. Same cookie or Bearer
 * token as the API (AgentSessions.resolve), same error shape as the API's filter: `{ code, message }`.
 */
export function requireSupervisorSession(sessions: AgentSessions) {
  const logger = new Logger('queue-dashboard');
  return async (request: Request, response: Response, next: NextFunction) => {
    try {
      const token = tokenFrom(request);
      const agent = token ? await sessions.resolve(token) : null;
      if (!agent) {
        response.status(401).json({ code: DomainErrorCode.Unauthenticated, message: 'Log in first: no valid session.' });
        return;
      }
      if (AGENT_ROLES.indexOf(agent.role) < AGENT_ROLES.indexOf('supervisor')) {
        response.status(403).json({ code: DomainErrorCode.Forbidden, message: 'This needs the supervisor role.' });
        return;
      }
      next();
    } catch (error) {
      // The session store (PostgreSQL) is unreachable: say so, never a bare 500.
      const errorId = randomUUID();
      logger.error(`error ${errorId}: ${error instanceof Error ? error.stack : String(error)}`);
      if (!response.headersSent) response.status(503).json({ code: 'SERVICE_UNAVAILABLE', message: 'Sessions cannot be checked right now. Try again shortly.', errorId });
    }
  };
}

/**
 * Bull Board for the deadlines, effects and webhooks queues at /admin/queues, behind the
 * supervisor check. Must be mounted before the admin UI's single-page fallback (which answers
 * every GET under /admin with index.html), so bootstrap calls this first.
 */
export function mountQueueDashboard(app: NestExpressApplication): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  // Read-only: supervisors watch depths and failures here; removing or promoting a deadline job by
  // hand would bypass the engine (PostgreSQL is the source of truth; the reconciler repairs Redis).
  const queues = Object.values(QUEUES).map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name), { strict: false }), { readOnlyMode: true }));
  createBullBoard({ queues, serverAdapter, options: { uiConfig: { boardTitle: 'Dispute engine queues' } } });
  app.use(QUEUE_DASHBOARD_PATH, requireSupervisorSession(app.get(AgentSessions, { strict: false })), serverAdapter.getRouter());
}
