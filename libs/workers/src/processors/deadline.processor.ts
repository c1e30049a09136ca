import { MikroORM, RequestContext } from '@mikro-orm/core';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { FireDeadline } from '@app/cases';
import { DEADLINE_WORKER_RETENTION, QUEUES, jobNamesOf, type JobPayloads } from '@app/queues';

const HANDLED = ['deadline.fire'];

@Processor(QUEUES.deadlines, DEADLINE_WORKER_RETENTION)
export class DeadlineProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(DeadlineProcessor.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly fireDeadline: FireDeadline,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
    const expected = jobNamesOf(QUEUES.deadlines);
    if (expected.join() !== HANDLED.join()) throw new Error(`deadlines queue handles ${HANDLED} but carries ${expected}`);
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.workers.deadlineConcurrency;
  }

  async process(job: Job<JobPayloads['deadline.fire']>): Promise<string> {
    if (job.name !== 'deadline.fire') throw new Error(`Unknown job ${job.name} on the deadlines queue`);
    // Each job gets its own EntityManager context; the global one is never used.
    return RequestContext.create(this.orm.em, () => this.fireDeadline.execute(job.data.deadlineId));
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      this.logger.error(`deadline ${job.data?.deadlineId} gave up after ${job.attemptsMade} attempts, will be retried by the reconciler: ${error.message}`);
      // A failed job keeps its id and would block the reconciler's re-add (same job id) for as long
      // as BullMQ keeps it; the row is still pending, so remove the job and let the next pass retry.
      await job.remove().catch((removeError) => this.logger.warn(`could not remove failed deadline job ${job.id}: ${removeError}`));
    }
  }

  /** Redis hiccups (a restart, a flushed key under an active job) surface here; PostgreSQL and the reconciler recover. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`worker error (recovered from PostgreSQL by the reconciler): ${error.message}`);
  }
}
