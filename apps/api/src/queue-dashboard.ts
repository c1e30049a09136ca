import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { AgentSessions } from '@app/auth';
import { QUEUES } from '@app/queues';
import { requireAgentSession } from './require-agent-session';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board for the deadlines, effects and webhooks queues at /admin/queues, behind the
 * supervisor check (a hook of its scope, so it runs before every page, script and API call of the
 * dashboard). Its routes are more specific than the admin UI's single-page fallback (/admin/*).
 */
export async function mountQueueDashboard(app: NestFastifyApplication): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  // Read-only: supervisors watch depths and failures here; removing or promoting a deadline job by
  // hand would bypass the engine (PostgreSQL is the source of truth; the reconciler repairs Redis).
  const queues = Object.values(QUEUES).map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name), { strict: false }), { readOnlyMode: true }));
  createBullBoard({ queues, serverAdapter, options: { uiConfig: { boardTitle: 'Dispute engine queues' } } });
  const supervisorsOnly = requireAgentSession(app.get(AgentSessions, { strict: false }), 'supervisor', 'queue-dashboard');
  await app.register(
    async (scope: FastifyInstance) => {
      scope.addHook('onRequest', supervisorsOnly);
      await scope.register(serverAdapter.registerPlugin());
      // Any other path under the board is a 404 behind the same check, not the admin UI's page.
      scope.get('/*', (_request, reply) => reply.callNotFound());
    },
    { prefix: QUEUE_DASHBOARD_PATH },
  );
}
