import { EntityManager } from '@mikro-orm/postgresql';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { REFUND_MISMATCH_KINDS } from '@app/domain';
import { QUEUES } from '@app/queues';

interface CountGauge {
  name: string;
  help: string;
  /** Selects the labels (as columns of the same names) and `n`, the count. */
  sql: string;
  labelNames?: string[];
  /** Series reported as 0 when the query has no row for them, so an alert always has a series to watch. */
  alwaysPresent?: Array<Record<string, string>>;
}

/**
 * Prometheus metrics: process defaults, open cases by kind and state, SLA breaches, queue depths,
 * pending deadlines, and the work that needs a person: failed effects and webhook deliveries.
 */
@Injectable()
export class OpsMetrics {
  private readonly registry = new Registry();

  constructor(
    private readonly em: EntityManager,
    @InjectQueue(QUEUES.deadlines) private readonly deadlines: Queue,
    @InjectQueue(QUEUES.effects) private readonly effects: Queue,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.countGauge({
      name: 'cases_active',
      help: 'Active cases by kind and state',
      labelNames: ['kind', 'state'],
      sql: `select kind, state, count(*) as n from cases where status = 'active' group by kind, state`,
    });
    this.countGauge({
      name: 'deadlines_pending',
      help: 'Pending deadlines (source of truth in PostgreSQL)',
      sql: `select count(*) as n from deadlines where status = 'pending'`,
    });
    this.countGauge({
      name: 'deadlines_failed',
      help: 'Deadlines whose job BullMQ gave up on, by kind; they wait for POST /v1/cases/:id/deadlines/redrive',
      labelNames: ['kind'],
      sql: `select kind, count(*) as n from deadlines where status = 'failed' group by 1`,
      alwaysPresent: [{ kind: 'machine' }, { kind: 'sla' }],
    });
    this.countGauge({
      name: 'sla_breaches',
      help: 'SLA clocks that breached, by policy and target (monotonic: clocks are never un-breached)',
      labelNames: ['policy', 'target'],
      sql: `select policy_id as policy, target, count(*) as n from sla_clocks where breached_at is not null group by 1, 2`,
    });
    this.countGauge({
      name: 'effects_unfinished',
      help: 'Outbox effects not done yet, by type and status; failed ones (BullMQ gave up, or relayed OUTBOX_MAX_RELAYS times) wait for POST /v1/cases/:id/effects/redrive',
      labelNames: ['type', 'status'],
      sql: `select type, status, count(*) as n from outbox where status <> 'done' group by 1, 2`,
      alwaysPresent: [{ type: 'requestRefund', status: 'failed' }],
    });
    this.countGauge({
      name: 'webhook_deliveries_unfinished',
      help: 'Webhook deliveries not succeeded yet, by status (failed: out of retries, or the endpoint answered 410)',
      labelNames: ['status'],
      sql: `select status, count(*) as n from webhook_deliveries where status <> 'succeeded' group by 1`,
      alwaysPresent: [{ status: 'failed' }],
    });
    this.countGauge({
      name: 'refund_reconciliation_mismatches',
      help: 'Refunds on which we and the wallet disagree (open findings of the reconciliation), by kind; GET /v1/reconciliation/refund-mismatches lists them',
      labelNames: ['kind'],
      sql: `select kind, count(*) as n from refund_mismatches where resolved_at is null group by 1`,
      alwaysPresent: REFUND_MISMATCH_KINDS.map((kind) => ({ kind })),
    });
    this.countGauge({
      name: 'wallet_refunds_processing',
      help: 'Refunds the wallet took and has not settled yet; overdue="true": past their expected arrival (the poller keeps looking them up)',
      labelNames: ['overdue'],
      sql: `select coalesce(expected_arrival_at < now(), false)::text as overdue, count(*) as n from refunds where status = 'processing' group by 1`,
      alwaysPresent: [{ overdue: 'true' }],
    });
    this.countGauge({
      name: 'customer_notifications_unfinished',
      help: 'Customer messages not sent, by channel and status (pending: waiting, retrying or held for SMS quiet hours; failed: refused or out of retries)',
      labelNames: ['channel', 'status'],
      sql: `select channel, status, count(*) as n from notification_deliveries where status in ('pending', 'failed') group by 1, 2`,
      alwaysPresent: [{ channel: 'sms', status: 'failed' }],
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

  /** The Prometheus text exposition of every metric, read now. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** A gauge read from PostgreSQL at every scrape. */
  private countGauge(spec: CountGauge): void {
    const em = this.em;
    const labelNames = spec.labelNames ?? [];
    new Gauge({
      name: spec.name,
      help: spec.help,
      labelNames,
      registers: [this.registry],
      async collect() {
        const rows = await em.fork().getConnection().execute<Array<Record<string, string>>>(spec.sql);
        this.reset();
        for (const labels of spec.alwaysPresent ?? []) this.set(labels, 0);
        for (const row of rows) this.set(Object.fromEntries(labelNames.map((label) => [label, row[label]!])), Number(row.n));
      },
    });
  }
}
