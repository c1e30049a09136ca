import { MikroORM, RequestContext } from '@mikro-orm/core';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { QUEUES, jobNamesOf, type JobPayloads } from '@app/queues';
import { AttemptWebhookDelivery } from './attempt-webhook-delivery';

const HANDLED = ['webhook.deliver'];

@Processor(QUEUES.webhooks)
export class WebhookDeliveryProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhookDeliveryProcessor.name);

  constructor(
    private readonly orm: MikroORM,
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

  async process(job: Job<JobPayloads['webhook.deliver']>): Promise<string> {
    if (job.name !== 'webhook.deliver') throw new Error(`Unknown job ${job.name} on the webhooks queue`);
    return RequestContext.create(this.orm.em, () => this.attempt.execute(job.data));
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<JobPayloads['webhook.deliver']> | undefined, error: Error): void {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      // The delivery row stays pending; the sweeper schedules it again once the cause is gone.
      this.logger.error(`webhook delivery ${job.data.deliveryId} attempt ${job.data.attempt} could not run: ${error.message}`);
    }
  }

  /** Redis hiccups (a restart, a flushed key under an active job) surface here; PostgreSQL and the reconciler recover. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`worker error (recovered from PostgreSQL by the reconciler): ${error.message}`);
  }
}
