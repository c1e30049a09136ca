import { MikroORM, RequestContext } from '@mikro-orm/core';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { FireDeadline } from '@app/cases';
import { runJob, withJobContext } from '@app/observability';
import { DEADLINE_WORKER_RETENTION, QUEUES, isFinalFailure, jobNamesOf, type JobPayloads } from '@app/queues';

const HANDLED = ['deadline.fire'];
/**
 * A test clock's deadline is fired by advancing the clock, not by its job; the job stays parked in
 * the delayed set (so the reconciler, which re-adds missing or finished jobs of pending rows, leaves
 * it alone) and looks again this much later.
 */
const TEST_CLOCK_PARK_MS = 24 * 3600_000;

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

  async process(job: Job<JobPayloads['deadline.fire']>, token?: string): Promise<string> {
    if (job.name !== 'deadline.fire') throw new Error(`Unknown job ${job.name} on the deadlines queue`);
    // As part of the request that scheduled the deadline: what the firing writes carries its id on.
    return runJob(job, async () => {
      // Each job gets its own EntityManager context; the global one is never used.
      const outcome = await RequestContext.create(this.orm.em, () => this.fireDeadline.execute(job.data.deadlineId));
      if (typeof outcome === 'object' || outcome === 'held') {
        // Early: the same job waits for the rest of the time (its id stays the row's, so the
        // reconciler still sees it), and DelayedError tells the worker it was not a failure.
        await job.moveToDelayed(outcome === 'held' ? Date.now() + TEST_CLOCK_PARK_MS : outcome.notDueUntil.getTime(), token);
        throw new DelayedError();
      }
      return outcome;
    });
  }

  /**
   * BullMQ's last word on a job (out of attempts, an UnrecoverableError, stalled too often) marks
   * the row failed, for the metrics and a supervisor's redrive (the reason: this log line, and the
   * failed job BullMQ keeps for 30 days). Never throws (an event listener's
   * rejection would be unhandled); if PostgreSQL is down the row stays pending and the reconciler
   * replaces the failed job on a later pass.
   */
  @OnWorkerEvent('failed')
  async onFailed(job: Job<JobPayloads['deadline.fire']> | undefined, error: Error): Promise<void> {
    if (!job || !isFinalFailure(job)) return;
    // Under the job's request id, as its run was logged.
    await withJobContext(job, async () => {
      try {
        this.logger.error(`deadline ${job.data.deadlineId} gave up after ${job.attemptsMade} attempts: ${error.message}`);
        await RequestContext.create(this.orm.em, () => this.fireDeadline.giveUp(job.data.deadlineId));
      } catch (markError) {
        this.logger.error(`could not mark deadline ${job.data?.deadlineId} failed (the reconciler will enqueue it again): ${markError}`);
      }
    });
  }

  /** Redis hiccups (a restart, a flushed key under an active job) surface here; PostgreSQL and the reconciler recover. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`worker error (recovered from PostgreSQL by the reconciler): ${error.message}`);
  }
}
