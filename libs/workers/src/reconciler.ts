import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { PostCommitDispatcher } from '@app/cases';

const BATCH = 1000;
/** Any constant unique to this job: only one worker process reconciles at a time. */
const RECONCILE_LOCK_KEY = 7_301_113;

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
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly em: EntityManager,
    private readonly dispatcher: PostCommitDispatcher,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const tick = () => {
      this.running = this.reconcileOnce().catch((error) => this.logger.warn(`reconcile failed, will retry: ${error}`));
    };
    tick();
    this.timer = setInterval(tick, this.config.workers.reconcileIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass, under a transaction-scoped advisory lock; false if another process holds it. */
  async reconcileOnce(): Promise<{ deadlines: number; outbox: number } | false> {
    return this.em.fork().transactional(async (em) => {
      const [{ locked }] = await em.getConnection().execute<Array<{ locked: boolean }>>(
        'select pg_try_advisory_xact_lock(?) as locked',
        [RECONCILE_LOCK_KEY],
        'all',
        em.getTransactionContext(),
      );
      if (!locked) return false;
      const deadlines = await this.requeueDeadlines(em);
      const outbox = await this.relayOutbox(em);
      return { deadlines, outbox };
    });
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

  private select<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
    return em.getConnection().execute<T[]>(sql, params, 'all', em.getTransactionContext());
  }
}
