import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, Clock, PeriodicTask, type AppConfig } from '@app/config';
import { WebhookDeliveryEntity } from '@app/db';
import { DeliveryScheduler } from './delivery-scheduler';

const SWEEP_LOCK_KEY = 7_301_114;
/** A due attempt not picked up this long after its time is presumed lost (Redis restart, crash). */
const GRACE_MS = 30_000;

/**
 * PostgreSQL holds every pending delivery and when its next attempt is due; Redis only holds the
 * alarm clock. Periodically, overdue attempts are put back on the queue (job ids are
 * deterministic, so ones still queued are left alone). Same pattern as the deadline reconciler.
 */
@Injectable()
export class WebhookSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookSweeper.name);
  private readonly task = new PeriodicTask(
    () => this.sweepOnce(),
    (error) => this.logger.warn(`webhook sweep failed, will retry: ${error}`),
    'webhook sweep',
  );

  constructor(
    private readonly em: EntityManager,
    private readonly scheduler: DeliveryScheduler,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.workers.reconcileIntervalMs);
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /**
   * The jobs are added after the transaction: a Redis that does not answer must not hold a
   * PostgreSQL connection (nor, at shutdown, the pool's close). Job ids are derived from the
   * delivery and its attempt, so two sweeps adding the same job add it once.
   */
  async sweepOnce(): Promise<number | false> {
    const overdue = await this.em.fork().transactional(async (em) => {
      const [{ locked }] = await em
        .getConnection()
        .execute<Array<{ locked: boolean }>>('select pg_try_advisory_xact_lock(?) as locked', [SWEEP_LOCK_KEY], 'all', em.getTransactionContext());
      if (!locked) return false;
      return em.find(
        WebhookDeliveryEntity,
        { status: 'pending', nextAttemptAt: { $lte: new Date(this.clock.now().getTime() - GRACE_MS) } },
        { fields: ['id', 'generation', 'attempts', 'nextAttemptAt'], limit: 1000, orderBy: { nextAttemptAt: 'asc' } },
      );
    });
    if (overdue === false) return false;
    await this.scheduler.schedule(overdue.map((delivery) => ({ ...delivery, nextAttemptAt: null })));
    return overdue.length;
  }
}
