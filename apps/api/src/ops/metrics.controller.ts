import { EntityManager } from '@mikro-orm/postgresql';
import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Queue } from 'bullmq';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { Public } from '@app/auth';
import { QUEUES } from '@app/queues';

/**
 * Prometheus metrics: process defaults, open cases by kind and state, SLA breaches, queue depths,
 * pending deadlines, and the work that needs a person: failed effects and webhook deliveries.
 */
@ApiTags('ops')
@Controller()
export class MetricsController {
  private readonly registry = new Registry();

  constructor(
    em: EntityManager,
    @InjectQueue(QUEUES.deadlines) private readonly deadlines: Queue,
    @InjectQueue(QUEUES.effects) private readonly effects: Queue,
  ) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'cases_active',
      help: 'Active cases by kind and state',
      labelNames: ['kind', 'state'],
      registers: [this.registry],
      async collect() {
        const rows = await em.fork().getConnection().execute<Array<{ kind: string; state: string; n: string }>>(
          `select kind, state, count(*) as n from cases where status = 'active' group by kind, state`,
        );
        this.reset();
        for (const row of rows) this.set({ kind: row.kind, state: row.state }, Number(row.n));
      },
    });
    new Gauge({
      name: 'deadlines_pending',
      help: 'Pending deadlines (source of truth in PostgreSQL)',
      registers: [this.registry],
      async collect() {
        const [row] = await em.fork().getConnection().execute<Array<{ n: string }>>(`select count(*) as n from deadlines where status = 'pending'`);
        this.set(Number(row?.n ?? 0));
      },
    });
    new Gauge({
      name: 'sla_breaches',
      help: 'SLA clocks that breached, by policy and target (monotonic: clocks are never un-breached)',
      labelNames: ['policy', 'target'],
      registers: [this.registry],
      async collect() {
        const rows = await em.fork().getConnection().execute<Array<{ policy_id: string; target: string; n: string }>>(
          `select policy_id, target, count(*) as n from sla_clocks where breached_at is not null group by 1, 2`,
        );
        this.reset();
        for (const row of rows) this.set({ policy: row.policy_id, target: row.target }, Number(row.n));
      },
    });
    new Gauge({
      name: 'effects_unfinished',
      help: 'Outbox effects not done yet, by type and status; failed ones (BullMQ gave up) wait for POST /v1/cases/:id/effects/redrive',
      labelNames: ['type', 'status'],
      registers: [this.registry],
      async collect() {
        const rows = await em.fork().getConnection().execute<Array<{ type: string; status: string; n: string }>>(
          `select type, status, count(*) as n from outbox where status <> 'done' group by 1, 2`,
        );
        this.reset();
        // Failed is always reported, so an alert on it has a series to watch even when all is well.
        this.set({ type: 'requestRefund', status: 'failed' }, 0);
        for (const row of rows) this.set({ type: row.type, status: row.status }, Number(row.n));
      },
    });
    new Gauge({
      name: 'webhook_deliveries_unfinished',
      help: 'Webhook deliveries not succeeded yet, by status (failed: out of retries)',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const rows = await em.fork().getConnection().execute<Array<{ status: string; n: string }>>(
          `select status, count(*) as n from webhook_deliveries where status <> 'succeeded' group by 1`,
        );
        this.reset();
        this.set({ status: 'failed' }, 0);
        for (const row of rows) this.set({ status: row.status }, Number(row.n));
      },
    });
    const queues = { [QUEUES.deadlines]: this.deadlines, [QUEUES.effects]: this.effects };
    new Gauge({
      name: 'queue_jobs',
      help: 'BullMQ jobs by queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [name, queue] of Object.entries(queues)) {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
          for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
        }
      },
    });
  }

  @Public()
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
