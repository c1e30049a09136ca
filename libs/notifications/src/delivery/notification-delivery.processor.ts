import { MikroORM, RequestContext } from '@mikro-orm/core';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { runJob, withJobContext } from '@app/observability';
import { QUEUES, jobNamesOf, type JobPayloads } from '@app/queues';
import { DeliverNotification } from './deliver-notification';

const HANDLED = ['notification.deliver'];

@Processor(QUEUES.notifications)
export class NotificationDeliveryProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(NotificationDeliveryProcessor.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly deliver: DeliverNotification,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
    const expected = jobNamesOf(QUEUES.notifications);
    if (expected.join() !== HANDLED.join()) throw new Error(`notifications queue handles ${HANDLED} but carries ${expected}`);
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.notifications.concurrency;
  }

  async process(job: Job<JobPayloads['notification.deliver']>, token?: string): Promise<string> {
    if (job.name !== 'notification.deliver') throw new Error(`Unknown job ${job.name} on the notifications queue`);
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    // As part of the request that caused the notification.
    return runJob(job, async () => {
      const outcome = await RequestContext.create(this.orm.em, () => this.deliver.execute(job.data.deliveryId, lastAttempt));
      if (typeof outcome === 'object') {
        // Run early (quiet hours not over): back to waiting until the delivery's time.
        await job.moveToDelayed(outcome.notBefore.getTime(), token);
        throw new DelayedError();
      }
      return outcome;
    });
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<JobPayloads['notification.deliver']> | undefined, error: Error): void {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      withJobContext(job, () => this.logger.error(`notification delivery ${job.data.deliveryId} gave up: ${error.message}`));
    }
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`worker error: ${error.message}`);
  }
}
