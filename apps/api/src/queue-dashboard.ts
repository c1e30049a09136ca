import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Queue } from 'bullmq';
import { AgentSessions } from '@app/auth';
import { QUEUES } from '@app/queues';
import { requireAgentSession } from './session-middleware';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

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
  app.use(QUEUE_DASHBOARD_PATH, requireAgentSession(app.get(AgentSessions, { strict: false }), 'supervisor', 'queue-dashboard'), serverAdapter.getRouter());
}
