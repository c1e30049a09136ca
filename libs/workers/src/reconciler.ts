import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, Clock, PeriodicTask, type AppConfig } from '@app/config';
import { PostCommitDispatcher } from '@app/cases';
import { NotificationScheduler } from '@app/notifications';
import { QUEUES } from '@app/queues';

const BATCH = 1000;
/** Deletes the lock only if this pass still owns it. */
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

interface RedisLockClient {
  set(key: string, value: string, px: 'PX', ms: number, nx: 'NX'): Promise<string | null>;
  eval(script: string, keys: number, ...args: string[]): Promise<unknown>;
}

/**
 * PostgreSQL is the source of truth; Redis only holds alarm clocks. Periodically (and at boot)
 * every pending deadline is re-enqueued and every outbox row older than the relay delay is
 * re-relayed. Job ids are derived from row ids, so what Redis still has is left as it is and
 * only what it lost (restart without persistence, FLUSHALL, a crash between commit and enqueue)
 * comes back. Runs on a timer in the process, not as a BullMQ repeatable job, because it must
 * work precisely when Redis has lost everything.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(Reconciler.name);
  private readonly task = new PeriodicTask(
    () => this.reconcileOnce(),
    (error) => this.logger.warn(`reconcile failed, will retry: ${error}`),
  );

  constructor(
    private readonly em: EntityManager,
    private readonly dispatcher: PostCommitDispatcher,
    private readonly notifications: NotificationScheduler,
    @InjectQueue(QUEUES.deadlines) private readonly deadlines: Queue,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

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
  async reconcileOnce(): Promise<{ deadlines: number; outbox: number; notifications: number } | false> {
    const client = (await this.deadlines.client) as unknown as RedisLockClient;
    const lockKey = `${this.config.queues.prefix}:reconcile-lock`;
    const token = randomUUID();
    const ttl = Math.max(this.config.workers.reconcileIntervalMs, 60_000);
    if ((await client.set(lockKey, token, 'PX', ttl, 'NX')) !== 'OK') return false;
    try {
      const em = this.em.fork();
      const deadlines = await this.requeueDeadlines(em);
      const outbox = await this.relayOutbox(em);
      const notifications = await this.requeueNotifications(em);
      return { deadlines, outbox, notifications };
    } finally {
      await client.eval(RELEASE_LOCK, 1, lockKey, token).catch(() => undefined);
    }
  }

  // Plain keyset reads, not entities: a pass over 100,000 pending rows must not fill an identity map.
  private async requeueDeadlines(em: EntityManager): Promise<number> {
    let count = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await this.select<{ id: string; case_id: string; due_at: string | Date }>(
        em,
        `select id, case_id, due_at from deadlines where status = 'pending' and id > ? order by id limit ${BATCH}`,
        [after],
      );
      if (rows.length === 0) return count;
      await this.dispatcher.enqueueDeadlines(rows.map((row) => ({ id: row.id, caseId: row.case_id, dueAt: new Date(row.due_at) })));
      count += rows.length;
      after = rows[rows.length - 1]!.id;
    }
  }

  private async relayOutbox(em: EntityManager): Promise<number> {
    const olderThan = new Date(this.clock.now().getTime() - this.config.workers.outboxRelayAfterMs);
    let count = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await this.select<{ id: string; case_id: string | null; type: string }>(
        em,
        `select id, case_id, type from outbox where status = 'pending' and created_at <= ? and id > ? order by id limit ${BATCH}`,
        [olderThan, after],
      );
      if (rows.length === 0) return count;
      await this.dispatcher.enqueueEffects(rows.map((row) => ({ id: row.id, caseId: row.case_id, type: row.type })));
      count += rows.length;
      after = rows[rows.length - 1]!.id;
    }
  }

  /** Customer messages not yet sent (or held for quiet hours) go back on their queue. */
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
      await this.notifications.schedule(rows.map((row) => ({ id: row.id, notBefore: row.not_before === null ? null : new Date(row.not_before) })));
      count += rows.length;
      after = rows[rows.length - 1]!.id;
    }
  }

  private select<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
    return em.getConnection().execute<T[]>(sql, params);
  }
}
