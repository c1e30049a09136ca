import { MikroORM, RequestContext } from '@mikro-orm/core';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type Redis from 'ioredis';
import { DelayedError, type Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { WebhookDeliveryEntity } from '@app/db';
import { runJob, withJobContext } from '@app/observability';
import { QUEUES, jobNamesOf, type JobPayloads } from '@app/queues';
import { AttemptWebhookDelivery } from './attempt-webhook-delivery';
import { MerchantSlots } from './merchant-slots';

const HANDLED = ['webhook.deliver'];

@Processor(QUEUES.webhooks)
export class WebhookDeliveryProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhookDeliveryProcessor.name);

  private slots: MerchantSlots | undefined;

  constructor(
    private readonly orm: MikroORM,
    private readonly em: EntityManager,
    private readonly attempt: AttemptWebhookDelivery,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
    const expected = jobNamesOf(QUEUES.webhooks);
    if (expected.join() !== HANDLED.join()) throw new Error(`webhooks queue handles ${HANDLED} but carries ${expected}`);
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.webhooks.concurrency;
  }

  async process(job: Job<JobPayloads['webhook.deliver']>, token?: string): Promise<string> {
    if (job.name !== 'webhook.deliver') throw new Error(`Unknown job ${job.name} on the webhooks queue`);
    // As part of the request that caused the event: the attempt's log line and its retry carry the id.
    return runJob(job, () => this.deliver(job, token));
  }

  private async deliver(job: Job<JobPayloads['webhook.deliver']>, token: string | undefined): Promise<string> {
    const merchantId = job.data.merchantId ?? (await this.em.fork().findOne(WebhookDeliveryEntity, { id: job.data.deliveryId }, { fields: ['merchantId'] }))?.merchantId;
    if (!merchantId) return 'stale';
    const slots = await this.merchantSlots();
    const holder = `${job.id}:${token ?? ''}`;
    if (!(await slots.acquire(merchantId, holder, Date.now()))) {
      // This merchant has its share in flight: wait without spending an attempt, longer each time
      // (1 s doubling to 10 s), so a large backlog of one merchant does not poll PostgreSQL or Redis hard.
      const waits = job.data.slotWaits ?? 0;
      await job.updateData({ ...job.data, merchantId, slotWaits: waits + 1 });
      await job.moveToDelayed(Date.now() + Math.round(Math.min(1000 * 2 ** waits, 10_000) * (0.8 + Math.random() * 0.4)), token);
      throw new DelayedError();
    }
    try {
      return await RequestContext.create(this.orm.em, () => this.attempt.execute(job.data));
    } finally {
      await slots.release(merchantId, holder).catch(() => undefined);
    }
  }

  private async merchantSlots(): Promise<MerchantSlots> {
    const settings = this.config.webhooks;
    // The worker's own Redis connection; the lease outlives a send that times out.
    // BullMQ types its connection as a minimal interface; at run time it is the ioredis client it was given.
    this.slots ??= new MerchantSlots((await this.worker.client) as unknown as Redis, this.config.queues.prefix, settings.concurrencyPerMerchant, settings.timeoutMs + 60_000);
    return this.slots;
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<JobPayloads['webhook.deliver']> | undefined, error: Error): void {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      // The delivery row stays pending; the sweeper schedules it again once the cause is gone.
      withJobContext(job, () => this.logger.error(`webhook delivery ${job.data.deliveryId} attempt ${job.data.attempt} could not run: ${error.message}`));
    }
  }

  /** Redis hiccups (a restart, a flushed key under an active job) surface here; PostgreSQL and the reconciler recover. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`worker error (recovered from PostgreSQL by the reconciler): ${error.message}`);
  }
}
