import { MikroORM, RequestContext } from '@mikro-orm/core';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { PostCommitDispatcher } from '@app/cases';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { runJob, withJobContext } from '@app/observability';
import { JOB_OPTIONS, QUEUES, isFinalFailure, jobNamesOf, type JobPayloads } from '@app/queues';
import { EffectRunner } from '../effects/effect-runner';

const HANDLED = ['effect.run', 'effect.batch'];
/** A row a batch could not finish waits this long before its own job's first attempt, as a retry of `effect.run` would. */
const HANDED_ON_DELAY_MS = (JOB_OPTIONS['effect.run'].backoff as { delay: number }).delay;

@Processor(QUEUES.effects)
export class EffectProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(EffectProcessor.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly runner: EffectRunner,
    private readonly dispatcher: PostCommitDispatcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
    const expected = jobNamesOf(QUEUES.effects);
    if (expected.join() !== HANDLED.join()) throw new Error(`effects queue handles ${HANDLED} but carries ${expected}`);
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.workers.effectConcurrency;
  }

  async process(job: Job<JobPayloads['effect.run']> | Job<JobPayloads['effect.batch']>): Promise<string> {
    if (job.name === 'effect.batch') return this.runBatch(job as Job<JobPayloads['effect.batch']>);
    if (job.name !== 'effect.run') throw new Error(`Unknown job ${job.name} on the effects queue`);
    const { outboxId, type } = (job as Job<JobPayloads['effect.run']>).data;
    // As part of the request that wrote the outbox row: its log lines and what it enqueues carry the id.
    return runJob(job, () => RequestContext.create(this.orm.em, () => this.runner.run(outboxId, type)));
  }

  /**
   * The batch's rows read in one statement and run one after another, each as part of the request
   * that wrote it (its own line, `effect.run done`, under that request's id), then marked done
   * together in one statement. A row that fails goes on as an `effect.run` job of its own, with
   * that job's retries, and the batch carries on; the batch itself fails (and BullMQ runs it
   * again: handlers are idempotent by the outbox id, and rows marked done are skipped) only when it
   * cannot read or mark its rows or hand one on.
   */
  private async runBatch(job: Job<JobPayloads['effect.batch']>): Promise<string> {
    const { type, rows } = job.data;
    const unfinished = await RequestContext.create(this.orm.em, () =>
      this.runner.readUnfinished(
        rows.map((row) => row.outboxId),
        type,
      ),
    );
    const originOf = new Map(rows.map((row) => [row.outboxId, row]));
    const done: string[] = [];
    const handedOn: Array<JobPayloads['effect.run']> = [];
    for (const effect of unfinished) {
      const data = { ...originOf.get(effect.row.id)!, type: effect.row.type };
      // Read without its handler's columns (not the batch's type): its own job reads it with them.
      if (effect.type === undefined) {
        this.logger.warn(`a batch of ${type} carried ${effect.row.type} row ${effect.row.id}: handed on to a job of its own`);
        handedOn.push(data);
        continue;
      }
      const asRowJob = { id: job.id, name: 'effect.run', queueName: job.queueName, data, attemptsMade: job.attemptsMade };
      try {
        await runJob(asRowJob, () => RequestContext.create(this.orm.em, () => this.runner.runHandler(effect).then(() => 'done')));
        done.push(effect.row.id);
      } catch {
        // runJob logged the attempt's failure under the row's request id.
        handedOn.push(data);
      }
    }
    await RequestContext.create(this.orm.em, () => this.runner.markDone(done));
    await this.dispatcher.handOnEffects(handedOn, HANDED_ON_DELAY_MS);
    return `${done.length} done, ${handedOn.length} handed on, ${rows.length - unfinished.length} already done`;
  }

  /**
   * BullMQ's last word on a job (out of attempts, an UnrecoverableError, stalled too often) marks
   * its row failed. Never throws: this is an event listener, and a rejection here would be
   * unhandled. If PostgreSQL is down the row stays pending and the reconciler replaces the
   * finished job later (counting it against OUTBOX_MAX_RELAYS).
   */
  @OnWorkerEvent('failed')
  async onFailed(job: Job<JobPayloads['effect.run']> | Job<JobPayloads['effect.batch']> | undefined, error: Error): Promise<void> {
    if (!job || !isFinalFailure(job)) return;
    if (job.name === 'effect.batch') {
      // Its rows stay pending: the reconciler relays each as a job of its own, with its own retries.
      const rows = (job.data as JobPayloads['effect.batch']).rows.map((row) => row.outboxId);
      this.logger.error(`effect batch ${job.id} gave up after ${job.attemptsMade} attempts (${error.message}); its rows wait for the reconciler: ${rows.join(', ')}`);
      return;
    }
    if (job.name !== 'effect.run') return;
    const effectJob = job as Job<JobPayloads['effect.run']>;
    // Under the job's request id, as its run was logged.
    await withJobContext(effectJob, async () => {
      try {
        this.logger.error(`effect ${effectJob.data.type} ${effectJob.data.outboxId} gave up after ${effectJob.attemptsMade} attempts: ${error.message}`);
        await this.runner.markFailed(effectJob.data.outboxId, error.message);
      } catch (markError) {
        this.logger.error(`could not mark effect ${effectJob.data?.outboxId} failed (the reconciler will relay it again): ${markError}`);
      }
    });
  }

  /** Redis hiccups (a restart, a flushed key under an active job) surface here; PostgreSQL and the reconciler recover. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`worker error (recovered from PostgreSQL by the reconciler): ${error.message}`);
  }
}
