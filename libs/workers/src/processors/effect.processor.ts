import { MikroORM, RequestContext } from '@mikro-orm/core';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { runJob, withJobContext } from '@app/observability';
import { QUEUES, isFinalFailure, jobNamesOf, type JobPayloads } from '@app/queues';
import { EffectRunner } from '../effects/effect-runner';

const HANDLED = ['effect.run'];

@Processor(QUEUES.effects)
export class EffectProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(EffectProcessor.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly runner: EffectRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
    const expected = jobNamesOf(QUEUES.effects);
    if (expected.join() !== HANDLED.join()) throw new Error(`effects queue handles ${HANDLED} but carries ${expected}`);
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.workers.effectConcurrency;
  }

  async process(job: Job<JobPayloads['effect.run']>): Promise<string> {
    if (job.name !== 'effect.run') throw new Error(`Unknown job ${job.name} on the effects queue`);
    // As part of the request that wrote the outbox row: its log lines and what it enqueues carry the id.
    return runJob(job, () => RequestContext.create(this.orm.em, () => this.runner.run(job.data.outboxId, job.data.type)));
  }

  /**
   * BullMQ's last word on a job (out of attempts, an UnrecoverableError, stalled too often) marks
   * its row failed. Never throws: this is an event listener, and a rejection here would be
   * unhandled. If PostgreSQL is down the row stays pending and the reconciler replaces the
   * finished job later (counting it against OUTBOX_MAX_RELAYS).
   */
  @OnWorkerEvent('failed')
  async onFailed(job: Job<JobPayloads['effect.run']> | undefined, error: Error): Promise<void> {
    if (!job || !isFinalFailure(job)) return;
    // Under the job's request id, as its run was logged.
    await withJobContext(job, async () => {
      try {
        this.logger.error(`effect ${job.data.type} ${job.data.outboxId} gave up after ${job.attemptsMade} attempts: ${error.message}`);
        await this.runner.markFailed(job.data.outboxId, error.message);
      } catch (markError) {
        this.logger.error(`could not mark effect ${job.data?.outboxId} failed (the reconciler will relay it again): ${markError}`);
      }
    });
  }

  /** Redis hiccups (a restart, a flushed key under an active job) surface here; PostgreSQL and the reconciler recover. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`worker error (recovered from PostgreSQL by the reconciler): ${error.message}`);
  }
}
