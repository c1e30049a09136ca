import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, Clock, finishedWithin, type AppConfig } from '@app/config';
import type { DeadlineEntity, OutboxEntity } from '@app/db';
import { jobOrigin } from '@app/observability';
import { JOB_OPTIONS, QUEUES, jobIds, type JobPayloads } from '@app/queues';
import type { DeadlineJobChanges } from './deadline-jobs';

export interface CommittedWork {
  /** The deadline jobs the commit calls for (deadline-jobs.ts: only the head of an alarm chain has one). */
  deadlineJobs?: DeadlineJobChanges<Pick<DeadlineEntity, 'id' | 'caseId' | 'dueAt'>>;
  outbox: OutboxEntity[];
}

/**
 * Puts what a committed transaction produced onto BullMQ. It runs after commit, never throws and
 * never holds the answer up for long: if Redis is down or slow, or the process dies here, the rows
 * are still in PostgreSQL and the reconciler enqueues them later. Job ids are derived from row ids, so enqueuing the same row twice is a no-op.
 */
@Injectable()
export class PostCommitDispatcher {
  private readonly logger = new Logger(PostCommitDispatcher.name);

  constructor(
    @InjectQueue(QUEUES.deadlines) private readonly deadlines: Queue,
    @InjectQueue(QUEUES.effects) private readonly effects: Queue,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Resolves when the jobs are enqueued or after `dispatchWaitMs`, whichever comes first. The
   * normal path waits for Redis (a millisecond), so a job is on BullMQ when the command answers;
   * with Redis down the command still answers, and what is still in flight lands when Redis is
   * back, or the reconciler enqueues it from PostgreSQL. While the connection is known to be
   * down nothing is sent at all: commands queued in the client until Redis returns would pile up
   * in memory for the whole outage, and the reconciler has the rows anyway.
   */
  async dispatch(work: CommittedWork): Promise<void> {
    if (!(await this.redisConnected())) {
      this.logger.warn('Redis is not connected: the committed rows wait in PostgreSQL for the reconciler');
      return;
    }
    const enqueued = Promise.all([
      this.enqueueDeadlines(work.deadlineJobs?.add ?? []).catch((error) => this.logger.warn(`deadline enqueue deferred to reconciler: ${error}`)),
      this.removeDeadlineJobs(work.deadlineJobs?.remove ?? []).catch((error) => this.logger.warn(`stale deadline jobs left (harmless): ${error}`)),
      this.enqueueEffects(work.outbox).catch((error) => this.logger.warn(`outbox relay deferred: ${error}`)),
    ]);
    if (!(await finishedWithin(enqueued, this.config.workers.dispatchWaitMs)))
      this.logger.warn(`Redis did not take the jobs within ${this.config.workers.dispatchWaitMs} ms; answering anyway (the reconciler relays them)`);
  }

  /**
   * The jobs carry the current request's id and trace context (jobOrigin); the reconciler, which
   * runs for no request, adds them without (deadline rows do not keep the id).
   */
  async enqueueDeadlines(deadlines: ReadonlyArray<Pick<DeadlineEntity, 'id' | 'caseId' | 'dueAt'>>): Promise<void> {
    if (deadlines.length === 0) return;
    const now = this.clock.now().getTime();
    const origin = jobOrigin();
    await addJobs(
      this.deadlines,
      deadlines.map((deadline) => ({
        name: 'deadline.fire',
        data: { deadlineId: deadline.id, caseId: deadline.caseId, ...origin } satisfies JobPayloads['deadline.fire'],
        opts: { ...JOB_OPTIONS['deadline.fire'], jobId: jobIds.deadline(deadline.id), delay: Math.max(0, deadline.dueAt.getTime() - now) },
      })),
    );
  }

  /**
   * Enqueues effects again after BullMQ gave up on them: the finished job still holds its id and
   * would swallow the re-add, so it is removed first. Handlers are idempotent by the outbox id.
   */
  async requeueEffects(rows: ReadonlyArray<Pick<OutboxEntity, 'id' | 'caseId' | 'type' | 'requestId'>>): Promise<void> {
    await Promise.all(rows.map((row) => this.effects.remove(jobIds.effect(row.id))));
    await this.enqueueEffects(rows);
  }

  /** The same for deadlines: a failed (or completed) job with the row's id would swallow the re-add. */
  async requeueDeadlines(deadlines: ReadonlyArray<Pick<DeadlineEntity, 'id' | 'caseId' | 'dueAt'>>): Promise<void> {
    await Promise.all(deadlines.map((deadline) => this.deadlines.remove(jobIds.deadline(deadline.id))));
    await this.enqueueDeadlines(deadlines);
  }

  /** Each job carries the request id its row was written with, also when the reconciler relays it. */
  async enqueueEffects(rows: ReadonlyArray<Pick<OutboxEntity, 'id' | 'caseId' | 'type' | 'requestId'>>): Promise<void> {
    if (rows.length === 0) return;
    await addJobs(
      this.effects,
      rows.map((row) => ({
        name: 'effect.run',
        data: { outboxId: row.id, caseId: row.caseId, type: row.type, ...jobOrigin(row.requestId) } satisfies JobPayloads['effect.run'],
        opts: { ...JOB_OPTIONS['effect.run'], jobId: jobIds.effect(row.id) },
      })),
    );
  }

  private async redisConnected(): Promise<boolean> {
    const clients = await Promise.all([this.deadlines.client, this.effects.client]);
    return clients.every((client) => client.status === 'ready');
  }

  private async removeDeadlineJobs(deadlineIds: string[]): Promise<void> {
    // Only tidiness: a cancelled deadline's job that still fires finds its row cancelled and does nothing.
    await Promise.all(deadlineIds.map((id) => this.deadlines.remove(jobIds.deadline(id))));
  }
}

type BulkJob = Parameters<Queue['addBulk']>[0][number];

/**
 * `addBulk` wraps its jobs in a MULTI, which for the one job most transitions schedule costs the
 * client a pipeline and Redis two more commands for nothing: one job goes in with `add`. The same
 * job id makes either a no-op when the job is already there.
 */
async function addJobs(queue: Queue, jobs: BulkJob[]): Promise<void> {
  if (jobs.length === 1) {
    const [job] = jobs as [BulkJob];
    await queue.add(job.name, job.data, job.opts);
    return;
  }
  await queue.addBulk(jobs);
}
