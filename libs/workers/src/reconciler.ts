import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram } from 'prom-client';
import { APP_CONFIG, Clock, PeriodicTask, reconcileLockTtlMs, type AppConfig } from '@app/config';
import { JOB_HEAD_SQL, PostCommitDispatcher } from '@app/cases';
import { NotificationScheduler } from '@app/notifications';
import { MetricsRegistry } from '@app/ops';
import { BATCHED_EFFECT_TYPES, QUEUES, jobIds } from '@app/queues';
import { presenceOf, rowsInLiveBatches } from './job-presence';

const BATCH = 1000;
/**
 * Pending deadlines are compared with Redis this many at a time: one keyset read by due time (on
 * deadlines_pending_due_id_idx) and one ZMSCORE per batch.
 */
const DEADLINE_SCAN_BATCH = 5000;
/** Deletes the lock only if this pass still owns it. */
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

interface RedisLockClient {
  set(key: string, value: string, px: 'PX', ms: number, nx: 'NX'): Promise<string | null>;
  set(key: string, value: string): Promise<string | null>;
  get(key: string): Promise<string | null>;
  eval(script: string, keys: number, ...args: string[]): Promise<unknown>;
}

export interface ReconcileResult {
  /** Pending deadlines put back on BullMQ: their job was lost (or never added after its commit). */
  deadlines: number;
  /**
   * Pending deadlines that got their first job: written further ahead than DEADLINE_JOB_HORIZON_MS
   * and come within it since the last pass. A pass that finds no record of the last one (the first,
   * or after Redis lost its keys) counts every job it adds as restored.
   */
  deadlinesScheduled: number;
  /** Pending outbox rows put (back) on BullMQ. */
  outbox: number;
  /** Outbox rows marked failed because they had been relayed OUTBOX_MAX_RELAYS times. */
  outboxFailed: number;
  /** Customer notification deliveries still pending whose job Redis lacks, put (back) on their queue. */
  notifications: number;
}

/**
 * PostgreSQL is the source of truth; Redis only holds alarm clocks and work in flight.
 * Periodically (and at boot) every pending deadline that should have a job (every machine
 * deadline, and the earliest pending alarm of each SLA clock or window: deadline-jobs.ts, due
 * within DEADLINE_JOB_HORIZON_MS), and every pending outbox row older than the relay delay, is
 * checked against Redis. A deadline that has just come within the horizon gets its first job
 * here: commands leave the jobs of deadlines further ahead to these passes. Otherwise: a job that is there and not finished (for an
 * outbox row: its own job, or a notification batch waiting or running that carries it) is left alone; a job
 * that is gone (restart without persistence, FLUSHALL, a crash or a Redis outage between commit
 * and enqueue) is added again, and one that BullMQ finished while the row stayed pending (it gave
 * up while PostgreSQL was down, so the row could not be marked failed) is removed first, or its
 * id would swallow the re-add. An outbox row relayed OUTBOX_MAX_RELAYS times is marked failed for
 * a person to look at. Runs on a timer in the process, not as a BullMQ repeatable job, because it
 * must work precisely when Redis has lost everything.
 *
 * Only what is missing is re-added, and finding out that nothing is missing is cheap: each batch
 * of 5,000 pending deadline ids (walked by due time and id on a partial index of pending ones; an SLA
 * alarm's chain is probed among its case's pending deadlines, JOB_HEAD_SQL) is checked
 * with one ZMSCORE against the queue's delayed set, where a pending deadline's job sits until its
 * time; only ids not there (due and waiting, running, finished, or gone) are looked up one by one.
 * At 100,000 pending deadlines within the horizon a pass with nothing missing is 20 reads and 20
 * ZMSCOREs (the SLA benchmark measures it); those beyond it cost the pass nothing. A watermark (check only rows written since the last pass) would be
 * cheaper still, but it sees only rows that changed: a job lost on its own — a replica promoted
 * before it had the last writes, an AOF cut short, a key deleted by hand — would never come back.
 * Comparing everything keeps the guarantee "every pending head has a job" whatever Redis lost.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(Reconciler.name);
  private readonly task = new PeriodicTask(
    () => this.reconcileOnce(),
    (error) => this.logger.warn(`reconcile failed, will retry: ${error}`),
    'reconcile pass',
  );
  private readonly passSeconds: Histogram;
  private readonly restored: Counter<'kind'>;
  private readonly scheduledAhead: Counter;
  private readonly lastSuccess: Gauge;

  constructor(
    private readonly em: EntityManager,
    private readonly dispatcher: PostCommitDispatcher,
    private readonly notifications: NotificationScheduler,
    @InjectQueue(QUEUES.deadlines) private readonly deadlines: Queue,
    @InjectQueue(QUEUES.effects) private readonly effects: Queue,
    @InjectQueue(QUEUES.notifications) private readonly notificationQueue: Queue,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: MetricsRegistry,
  ) {
    const registers = [metrics.registry];
    this.passSeconds = new Histogram({
      name: 'reconcile_pass_duration_seconds',
      help: 'How long a reconciler pass took (PostgreSQL compared with Redis), in the process that held the lock',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.restored = new Counter({
      name: 'reconcile_restored_total',
      help: 'Jobs the reconciler put back on BullMQ because Redis lacked them (or held them finished while the row stayed pending), by kind',
      labelNames: ['kind'],
      registers,
    });
    for (const kind of ['deadline', 'effect', 'notification']) this.restored.inc({ kind }, 0);
    this.scheduledAhead = new Counter({
      name: 'reconcile_deadlines_scheduled_total',
      help: 'Deadline jobs the reconciler added as their deadline came within DEADLINE_JOB_HORIZON_MS (written further ahead than that, so no command added them)',
      registers,
    });
    this.lastSuccess = new Gauge({
      name: 'reconcile_last_success_timestamp_seconds',
      help: 'When this process last finished a reconciler pass (Unix time; 0: never); the lock lets one process at a time run one',
      registers,
    });
    this.lastSuccess.set(0);
  }

  onApplicationBootstrap(): void {
    this.task.start(this.config.workers.reconcileIntervalMs, { immediately: true });
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /**
   * One pass; false if another process is running one. The lock only saves duplicate work (every
   * enqueue is idempotent by job id), so it lives in Redis with a time-out rather than holding a
   * PostgreSQL transaction open for the whole pass; after a Redis flush it is simply gone.
   */
  async reconcileOnce(): Promise<ReconcileResult | false> {
    const client = (await this.deadlines.client) as unknown as RedisLockClient;
    const lockKey = `${this.config.queues.prefix}:reconcile-lock`;
    const token = randomUUID();
    const ttl = reconcileLockTtlMs(this.config.workers.reconcileIntervalMs);
    if ((await client.set(lockKey, token, 'PX', ttl, 'NX')) !== 'OK') return false;
    const timer = this.passSeconds.startTimer();
    try {
      const em = this.em.fork();
      const { restored: deadlines, scheduled: deadlinesScheduled } = await this.requeueDeadlines(em, client);
      const { relayed, failed } = await this.relayOutbox(em);
      const notifications = await this.requeueNotifications(em);
      if (deadlines || relayed || failed) {
        this.logger.log(`reconciled from PostgreSQL: ${deadlines} deadline(s) and ${relayed} effect(s) put back on BullMQ, ${failed} effect(s) marked failed`);
      }
      this.restored.inc({ kind: 'deadline' }, deadlines);
      this.scheduledAhead.inc(deadlinesScheduled);
      this.restored.inc({ kind: 'effect' }, relayed);
      this.restored.inc({ kind: 'notification' }, notifications);
      timer();
      this.lastSuccess.set(Date.now() / 1000);
      return { deadlines, deadlinesScheduled, outbox: relayed, outboxFailed: failed, notifications };
    } finally {
      await client.eval(RELEASE_LOCK, 1, lockKey, token).catch(() => undefined);
    }
  }

  /**
   * Plain keyset reads, not entities: a pass over 100,000 pending rows must not fill an identity
   * map. The walk goes by due time and id (deadlines_pending_due_id_idx) up to the horizon, so deadlines
   * further ahead are never read.
   */
  private async requeueDeadlines(em: EntityManager, client: RedisLockClient): Promise<{ restored: number; scheduled: number }> {
    const horizonMs = this.config.workers.deadlineJobHorizonMs;
    const until = new Date(this.clock.now().getTime() + horizonMs);
    // How far the last finished walk reached: a deadline due by then should have had its job since.
    const reachedKey = `${this.config.queues.prefix}:reconcile-horizon`;
    const reached = await client.get(reachedKey);
    const lastReached = reached === null ? null : new Date(Number(reached));
    const counts = await this.walkDeadlines(em, until, horizonMs, lastReached);
    await client.set(reachedKey, String(until.getTime()));
    return counts;
  }

  private async walkDeadlines(em: EntityManager, until: Date, horizonMs: number, lastReached: Date | null): Promise<{ restored: number; scheduled: number }> {
    let restored = 0;
    let scheduled = 0;
    // The due time as PostgreSQL's text, microseconds and all (a Date keeps milliseconds).
    let after = { dueAt: '-infinity', id: '00000000-0000-0000-0000-000000000000' };
    for (;;) {
      const batch = await this.select<{ id: string; due_key: string }>(
        em,
        `select d.id, d.due_at::text as due_key from deadlines d
          where d.status = 'pending' and d.due_at <= ? and d.due_at >= ?::timestamptz and (d.due_at, d.id) > (?::timestamptz, ?::uuid)
            and ${JOB_HEAD_SQL('d')}
          order by d.due_at, d.id limit ${DEADLINE_SCAN_BATCH}`,
        [until, after.dueAt, after.dueAt, after.id],
      );
      if (batch.length === 0) return { restored, scheduled };
      const last = batch[batch.length - 1]!;
      after = { dueAt: last.due_key, id: last.id };
      const ids = batch.map((row) => row.id);
      const presence = await presenceOf(
        this.deadlines,
        ids.map((id) => jobIds.deadline(id)),
      );
      const stranded = ids.filter((_, index) => presence[index] !== 'live');
      if (stranded.length === 0) continue;
      const finished = new Set(ids.filter((_, index) => presence[index] === 'finished'));
      for (let start = 0; start < stranded.length; start += BATCH) {
        const chunk = stranded.slice(start, start + BATCH);
        // Read again, still pending (one settled since the scan needs no job); the ids as one array
        // literal, as a thousand bind parameters cost more to plan than the read. A row written
        // further ahead than the horizon that came within it since the last walk had its job left
        // to this pass: scheduled. Any other was due to have a job already: restored.
        const rows = await this.select<{ id: string; case_id: string; due_at: string | Date; ahead: boolean }>(
          em,
          `select id, case_id, due_at, (due_at > created_at + ? * interval '1 millisecond' and due_at > ?::timestamptz) as ahead
             from deadlines where id = any(?::uuid[]) and status = 'pending'`,
          [horizonMs, lastReached ?? 'infinity', `{${chunk.join(',')}}`],
        );
        await Promise.all(rows.filter((row) => finished.has(row.id)).map((row) => this.deadlines.remove(jobIds.deadline(row.id))));
        await this.dispatcher.enqueueDeadlines(rows.map((row) => ({ id: row.id, caseId: row.case_id, dueAt: new Date(row.due_at) })));
        const ahead = rows.filter((row) => row.ahead).length;
        scheduled += ahead;
        restored += rows.length - ahead;
      }
    }
  }

  private async relayOutbox(em: EntityManager): Promise<{ relayed: number; failed: number }> {
    const { outboxRelayAfterMs, effectBatchWindowMs, dispatchWaitMs, outboxMaxRelays: maxRelays } = this.config.workers;
    const now = this.clock.now().getTime();
    const olderThan = new Date(now - outboxRelayAfterMs);
    // A notification may wait in its process's send window (and then for Redis) before it has a
    // job: not stranded until that is over, whatever OUTBOX_RELAY_AFTER_MS says.
    const notificationsOlderThan = new Date(now - Math.max(outboxRelayAfterMs, effectBatchWindowMs > 0 ? effectBatchWindowMs + dispatchWaitMs : 0));
    let relayed = 0;
    let failed = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    // Read once a pass, and only when some row has no job of its own (rows in batches have none).
    let inBatches: Set<string> | undefined;
    for (;;) {
      const rows = await this.select<{ id: string }>(
        em,
        `select id from outbox where status = 'pending' and created_at <= ? and (type <> all(?::text[]) or created_at <= ?) and id > ? order by id limit ${BATCH}`,
        [olderThan, `{${[...BATCHED_EFFECT_TYPES].join(',')}}`, notificationsOlderThan, after],
      );
      if (rows.length === 0) return { relayed, failed };
      after = rows[rows.length - 1]!.id;
      const presence = await presenceOf(
        this.effects,
        rows.map((row) => jobIds.effect(row.id)),
      );
      const withoutJob = rows.filter((_, index) => presence[index] !== 'live').map((row) => row.id);
      if (withoutJob.length === 0) continue;
      inBatches ??= await rowsInLiveBatches(this.effects);
      const notInBatch = withoutJob.filter((id) => !inBatches!.has(id));
      if (notInBatch.length === 0) continue;
      // A batch that handed a row on and finished between the two reads left the row a job of its own: look again.
      const again = await presenceOf(
        this.effects,
        notInBatch.map((id) => jobIds.effect(id)),
      );
      const stranded = notInBatch.filter((_, index) => again[index] !== 'live');
      if (stranded.length === 0) continue;
      // Counted in the same statement that re-checks the row is still pending, so a row done or
      // marked failed meanwhile is neither counted nor re-added.
      const ids = stranded.map(() => '?').join(', ');
      const parked = await this.select<{ id: string }>(
        em,
        `update outbox set status = 'failed', last_error = ? where id in (${ids}) and status = 'pending' and relays >= ? returning id`,
        [`relayed ${maxRelays} times by the reconciler without finishing (its job was lost or gave up each time)`, ...stranded, maxRelays],
      );
      const toRelay = await this.select<{ id: string; case_id: string | null; type: string; request_id: string | null }>(
        em,
        `update outbox set relays = relays + 1 where id in (${ids}) and status = 'pending' and relays < ? returning id, case_id, type, request_id`,
        [...stranded, maxRelays],
      );
      if (parked.length) this.logger.error(`outbox rows marked failed after ${maxRelays} relays: ${parked.map((row) => row.id).join(', ')}`);
      failed += parked.length;
      if (toRelay.length === 0) continue;
      await this.dispatcher.requeueEffects(toRelay.map((row) => ({ id: row.id, caseId: row.case_id, type: row.type, requestId: row.request_id })));
      relayed += toRelay.length;
    }
  }

  /** Customer messages not yet sent (or held for quiet hours) whose job is gone go back on their queue. */
  private async requeueNotifications(em: EntityManager): Promise<number> {
    let count = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await this.select<{ id: string; not_before: string | Date | null }>(
        em,
        `select id, not_before from notification_deliveries where status = 'pending' and id > ? order by id limit ${BATCH}`,
        [after],
      );
      if (rows.length === 0) return count;
      after = rows[rows.length - 1]!.id;
      // Only jobs Redis lacks: a finished job keeps its id and the delivery row records the outcome.
      const presence = await presenceOf(
        this.notificationQueue,
        rows.map((row) => jobIds.notification(row.id)),
      );
      const missing = rows.filter((_, index) => presence[index] === 'missing');
      await this.notifications.schedule(missing.map((row) => ({ id: row.id, notBefore: row.not_before === null ? null : new Date(row.not_before) })));
      count += missing.length;
    }
  }

  private select<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
    return em.getConnection().execute<T[]>(sql, params);
  }
}
