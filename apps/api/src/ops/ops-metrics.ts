import { EntityManager } from '@mikro-orm/postgresql';
import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { REFUND_MISMATCH_KINDS } from '@app/domain';
import { MetricsRegistry } from '@app/ops';
import { QUEUES } from '@app/queues';

/** A deadline or webhook attempt this long past its time counts as overdue: the workers are down, behind, or lost its job. */
const OVERDUE_AFTER = `interval '1 minute'`;

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
 * Prometheus gauges read at scrape time: open cases by kind and state, SLA breaches, the depth of
 * every BullMQ queue, pending deadlines, the work that needs a person (failed effects, deadlines
 * and webhook deliveries), and the work that is late: deadlines and webhook attempts past their
 * time, outbox rows pending too long. Every query is a count over a partial index of the rows it
 * counts (pending, failed, …), never a scan of a whole table (test/e2e/query-plans.e2e-spec.ts).
 */
@Injectable()
export class OpsMetrics {
  constructor(
    private readonly em: EntityManager,
    metrics: MetricsRegistry,
    moduleRef: ModuleRef,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const registry = metrics.registry;
    const gauges: CountGauge[] = [
      {
        name: 'cases_active',
        help: 'Active cases by kind and state',
        labelNames: ['kind', 'state'],
        sql: `select kind, state, count(*) as n from cases where status = 'active' group by kind, state`,
      },
      {
        name: 'deadlines_pending',
        help: 'Pending deadlines (source of truth in PostgreSQL)',
        sql: `select count(*) as n from deadlines where status = 'pending'`,
      },
      {
        name: 'deadlines_overdue',
        help: 'Pending deadlines due more than a minute ago, by kind: nothing is firing them (workers down or behind, Redis unreachable, their job lost)',
        labelNames: ['kind'],
        // A test clock's deadlines wait for the merchant to advance it, whatever the wall clock says.
        sql: `select kind, count(*) as n from deadlines where status = 'pending' and due_at < now() - ${OVERDUE_AFTER}
                and case_id not in (select id from cases where test_clock_id is not null) group by 1`,
        alwaysPresent: [{ kind: 'machine' }, { kind: 'sla' }],
      },
      {
        name: 'deadlines_failed',
        help: 'Deadlines whose job BullMQ gave up on, by kind; they wait for POST /v1/cases/:id/deadlines/redrive',
        labelNames: ['kind'],
        sql: `select kind, count(*) as n from deadlines where status = 'failed' group by 1`,
        alwaysPresent: [{ kind: 'machine' }, { kind: 'sla' }],
      },
      {
        name: 'sla_breaches',
        help: 'SLA clocks that breached, by policy and target (monotonic: clocks are never un-breached)',
        labelNames: ['policy', 'target'],
        sql: `select policy_id as policy, target, count(*) as n from sla_clocks where breached_at is not null group by 1, 2`,
      },
      {
        name: 'effects_unfinished',
        help: 'Outbox effects not done yet, by type and status; failed ones (BullMQ gave up, or relayed OUTBOX_MAX_RELAYS times) wait for POST /v1/cases/:id/effects/redrive',
        labelNames: ['type', 'status'],
        sql: `select type, status, count(*) as n from outbox where status <> 'done' group by 1, 2`,
        alwaysPresent: [{ type: 'requestRefund', status: 'failed' }],
      },
      {
        name: 'outbox_overdue',
        help: `Outbox effects still pending more than OUTBOX_OVERDUE_MINUTES (${config.ops.outboxOverdueMs / 60_000}) after they were written, by type: retried for that long (a refused or unreachable wallet, a channel down) or not running at all`,
        labelNames: ['type'],
        sql: `select type, count(*) as n from outbox where status = 'pending' and created_at < now() - interval '${config.ops.outboxOverdueMs / 1000} seconds' group by 1`,
        alwaysPresent: [{ type: 'requestRefund' }],
      },
      {
        name: 'webhook_deliveries_unfinished',
        help: 'Webhook deliveries not succeeded yet, by status (failed: out of retries, or the endpoint answered 410)',
        labelNames: ['status'],
        sql: `select status, count(*) as n from webhook_deliveries where status <> 'succeeded' group by 1`,
        alwaysPresent: [{ status: 'failed' }],
      },
      {
        name: 'webhook_deliveries_overdue',
        help: 'Pending webhook deliveries whose next attempt was due more than a minute ago and has not started (workers down or behind, a merchant over its share of slots)',
        sql: `select count(*) as n from webhook_deliveries where status = 'pending' and next_attempt_at < now() - ${OVERDUE_AFTER}`,
      },
      {
        name: 'refund_reconciliation_mismatches',
        help: 'Refunds on which we and the wallet disagree (open findings of the reconciliation), by kind; GET /v1/reconciliation/refund-mismatches lists them',
        labelNames: ['kind'],
        sql: `select kind, count(*) as n from refund_mismatches where resolved_at is null group by 1`,
        alwaysPresent: REFUND_MISMATCH_KINDS.map((kind) => ({ kind })),
      },
      {
        name: 'wallet_refunds_processing',
        help: 'Refunds the wallet took and has not settled yet; overdue="true": past their expected arrival (the poller keeps looking them up)',
        labelNames: ['overdue'],
        sql: `select coalesce(expected_arrival_at < now(), false)::text as overdue, count(*) as n from refunds where status = 'processing' group by 1`,
        alwaysPresent: [{ overdue: 'true' }],
      },
      {
        name: 'customer_notifications_unfinished',
        help: 'Customer messages not sent, by channel and status (pending: waiting, retrying or held for SMS quiet hours; failed: refused or out of retries)',
        labelNames: ['channel', 'status'],
        sql: `select channel, status, count(*) as n from notification_deliveries where status in ('pending', 'failed') group by 1, 2`,
        alwaysPresent: [{ channel: 'sms', status: 'failed' }],
      },
    ];
    for (const spec of gauges) this.countGauge(registry, spec);

    // Every queue the system has (QUEUES), whether or not this process runs its workers.
    const queues = Object.values(QUEUES).map((name) => ({ name, queue: moduleRef.get<Queue>(getQueueToken(name), { strict: false }) }));
    new Gauge({
      name: 'queue_jobs',
      help: 'BullMQ jobs by queue and state',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        const counted = await Promise.all(
          queues.map(async ({ name, queue }) => ({ name, counts: await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed') })),
        );
        this.reset();
        for (const { name, counts } of counted) for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
      },
    });
  }

  /** A gauge read from PostgreSQL at every scrape. */
  private countGauge(registry: MetricsRegistry['registry'], spec: CountGauge): void {
    const em = this.em;
    const labelNames = spec.labelNames ?? [];
    new Gauge({
      name: spec.name,
      help: spec.help,
      labelNames,
      registers: [registry],
      async collect() {
        const rows = await em.fork().getConnection().execute<Array<Record<string, string>>>(spec.sql);
        this.reset();
        for (const labels of spec.alwaysPresent ?? []) this.set(labels, 0);
        for (const row of rows) this.set(Object.fromEntries(labelNames.map((label) => [label, row[label]!])), Number(row.n));
      },
    });
  }
}
