import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, Clock, finishedWithin, type AppConfig } from '@app/config';
import type { DeadlineEntity, OutboxEntity } from '@app/db';
import { jobOrigin } from '@app/observability';
import { BATCHED_EFFECT_TYPES, EFFECT_BATCH_MAX_ROWS, JOB_OPTIONS, QUEUES, jobIds, type JobPayloads } from '@app/queues';
import { withinJobHorizon, type DeadlineJobChanges } from './deadline-jobs';
import { SendWindow } from './send-window';

type RelayedEffect = Pick<OutboxEntity, 'id' | 'caseId' | 'type' | 'requestId'>;
/** An effect row as a job carries it: its origin (request id, trace context) taken when it was committed. */
type EffectJobData = JobPayloads['effect.run'];

export interface CommittedWork {
  /** The deadline jobs the commit calls for (deadline-jobs.ts: only the head of an alarm chain has one). */
  deadlineJobs?: DeadlineJobChanges<Pick<DeadlineEntity, 'id' | 'caseId' | 'dueAt'>>;
  outbox: OutboxEntity[];
}

/**
 * Puts what a committed transaction produced onto BullMQ. It runs after commit, never throws and
 * never holds the answer up for long: if Redis is down or slow, or the process dies here, the rows
 * are still in PostgreSQL and the reconciler enqueues them later. Job ids are derived from row ids, so enqueuing the same row twice is a no-op.
 *
 * Notifications (BATCHED_EFFECT_TYPES) committed within EFFECT_BATCH_WINDOW_MS of the last ones
 * this process sent wait for the window's end and go together, as one `effect.batch` job: a BullMQ
 * job costs the worker more than running a notification does, so under load one job carries
 * many. The first after a quiet spell goes at once; a command never waits for a window.
 */
@Injectable()
export class PostCommitDispatcher implements BeforeApplicationShutdown {
  private readonly logger = new Logger(PostCommitDispatcher.name);
  private readonly notifications: SendWindow<EffectJobData>;
  private clients?: ReadonlyArray<{ status: string }>;

  constructor(
    @InjectQueue(QUEUES.deadlines) private readonly deadlines: Queue,
    @InjectQueue(QUEUES.effects) private readonly effects: Queue,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.notifications = new SendWindow(config.workers.effectBatchWindowMs, EFFECT_BATCH_MAX_ROWS, async (notifications) => {
      // As in dispatch: nothing piles up in the client while Redis is known to be down.
      if (!(await this.redisConnected())) {
        this.logger.warn(`Redis is not connected: ${notifications.length} notification(s) wait in PostgreSQL for the reconciler`);
        return;
      }
      await this.addEffectJobs(notifications).catch((error) => this.logger.warn(`outbox relay deferred: ${error}`));
    });
  }

  /**
   * Notifications waiting for their window go now, and later ones at once: a process that stops
   * leaves nothing on a timer (what could not be sent is in PostgreSQL for the reconciler).
   */
  async beforeApplicationShutdown(): Promise<void> {
    await finishedWithin(this.notifications.close(), this.config.workers.dispatchWaitMs);
  }

  /**
   * Resolves when the jobs are enqueued or after `dispatchWaitMs`, whichever comes first. The
   * normal path waits for Redis (a millisecond), so a job is on BullMQ when the command answers
   * (a notification held in its send window excepted: it follows at the window's end);
   * with Redis down the command still answers, and what is still in flight lands when Redis is
   * back, or the reconciler enqueues it from PostgreSQL. While the connection is known to be
   * down nothing is sent at all: commands queued in the client until Redis returns would pile up
   * in memory for the whole outage, and the reconciler has the rows anyway.
   */
  async dispatch(work: CommittedWork): Promise<void> {
    const now = this.clock.now();
    const horizonMs = this.config.workers.deadlineJobHorizonMs;
    const deadlinesDue = withinJobHorizon(work.deadlineJobs?.add ?? [], now, horizonMs);
    // Removing a job is only tidiness: a cancelled deadline's job that still fires finds its row
    // cancelled and does nothing. One beyond the horizon has no job to remove (most cancelled SLA alarms).
    const jobsToRemove = withinJobHorizon(work.deadlineJobs?.remove ?? [], now, horizonMs);
    // Nothing for Redis (deadlines beyond the horizon, no outbox row): no check, no wait.
    if (deadlinesDue.length === 0 && jobsToRemove.length === 0 && work.outbox.length === 0) return;
    const connected = this.redisConnected();
    if (!(typeof connected === 'boolean' ? connected : await connected)) {
      this.logger.warn('Redis is not connected: the committed rows wait in PostgreSQL for the reconciler');
      return;
    }
    const batched = (row: OutboxEntity) => this.config.workers.effectBatchWindowMs > 0 && BATCHED_EFFECT_TYPES.has(row.type);
    const alone = work.outbox.filter((row) => !batched(row));
    // Only the steps with something to send: each is a promise (and its work) the answer waits for.
    const sending: Array<Promise<unknown>> = [];
    if (deadlinesDue.length > 0) sending.push(this.addDeadlineJobs(deadlinesDue, now).catch((error) => this.logger.warn(`deadline enqueue deferred to reconciler: ${error}`)));
    if (jobsToRemove.length > 0) sending.push(this.removeDeadlineJobs(jobsToRemove).catch((error) => this.logger.warn(`stale deadline jobs left (harmless): ${error}`)));
    if (alone.length > 0) sending.push(this.enqueueEffects(alone).catch((error) => this.logger.warn(`outbox relay deferred: ${error}`)));
    // Its own catch (in the window's send) logs a failure; waited for only when it goes at once.
    const offered = this.notifications.offer(work.outbox.filter(batched).map(effectJobData));
    if (offered) sending.push(offered);
    if (sending.length === 0) return;
    if (!(await finishedWithin(sending.length === 1 ? sending[0]! : Promise.all(sending), this.config.workers.dispatchWaitMs)))
      this.logger.warn(`Redis did not take the jobs within ${this.config.workers.dispatchWaitMs} ms; answering anyway (the reconciler relays them)`);
  }

  /**
   * Jobs for the deadlines due within DEADLINE_JOB_HORIZON_MS (withinJobHorizon); those further
   * ahead get theirs from a reconciler pass once they come within it. The jobs carry the current
   * request's id and trace context (jobOrigin); the reconciler, which runs for no request, adds
   * them without (deadline rows do not keep the id).
   */
  async enqueueDeadlines(deadlines: ReadonlyArray<Pick<DeadlineEntity, 'id' | 'caseId' | 'dueAt'>>): Promise<void> {
    const now = this.clock.now();
    const due = withinJobHorizon(deadlines, now, this.config.workers.deadlineJobHorizonMs);
    if (due.length > 0) await this.addDeadlineJobs(due, now);
  }

  /** Jobs for deadlines already known to be within the horizon. */
  private async addDeadlineJobs(due: ReadonlyArray<Pick<DeadlineEntity, 'id' | 'caseId' | 'dueAt'>>, now: Date): Promise<void> {
    const origin = jobOrigin();
    await addJobs(
      this.deadlines,
      due.map((deadline) => ({
        name: 'deadline.fire',
        data: { deadlineId: deadline.id, caseId: deadline.caseId, ...origin } satisfies JobPayloads['deadline.fire'],
        opts: { ...JOB_OPTIONS['deadline.fire'], jobId: jobIds.deadline(deadline.id), delay: Math.max(0, deadline.dueAt.getTime() - now.getTime()) },
      })),
    );
  }

  /**
   * Enqueues effects again after BullMQ gave up on them: the finished job still holds its id and
   * would swallow the re-add, so it is removed first. Handlers are idempotent by the outbox id.
   */
  async requeueEffects(rows: readonly RelayedEffect[]): Promise<void> {
    await Promise.all(rows.map((row) => this.effects.remove(jobIds.effect(row.id))));
    await this.enqueueEffects(rows);
  }

  /** The same for deadlines: a failed (or completed) job with the row's id would swallow the re-add. */
  async requeueDeadlines(deadlines: ReadonlyArray<Pick<DeadlineEntity, 'id' | 'caseId' | 'dueAt'>>): Promise<void> {
    await Promise.all(deadlines.map((deadline) => this.deadlines.remove(jobIds.deadline(deadline.id))));
    await this.enqueueDeadlines(deadlines);
  }

  /**
   * A job of its own for each row (never a batch): the reconciler's and the redrive's relay. Each
   * job carries the request id its row was written with.
   */
  async enqueueEffects(rows: readonly RelayedEffect[]): Promise<void> {
    await this.handOnEffects(rows.map(effectJobData), 0);
  }

  /**
   * A job of its own for each of the rows a batch could not finish, with the data (request id,
   * trace context) the batch carried for it; `delayMs` before the first attempt, as a retry waits.
   */
  async handOnEffects(effects: ReadonlyArray<JobPayloads['effect.run']>, delayMs: number): Promise<void> {
    if (effects.length === 0) return;
    await addJobs(
      this.effects,
      effects.map((effect) => effectRunJob(effect, delayMs)),
    );
  }

  /** Rows of one type go as `effect.batch` jobs, a row alone as its own `effect.run` job (as if it had never waited). */
  private async addEffectJobs(effects: EffectJobData[]): Promise<void> {
    const byType = new Map<string, EffectJobData[]>();
    for (const effect of effects) {
      const ofType = byType.get(effect.type);
      if (ofType) ofType.push(effect);
      else byType.set(effect.type, [effect]);
    }
    const jobs: BulkJob[] = [];
    for (const [type, ofType] of byType) {
      for (let start = 0; start < ofType.length; start += EFFECT_BATCH_MAX_ROWS) {
        const chunk = ofType.slice(start, start + EFFECT_BATCH_MAX_ROWS);
        if (chunk.length === 1) {
          jobs.push(effectRunJob(chunk[0]!, 0));
          continue;
        }
        const rows = chunk.map(({ type: _type, ...row }) => row);
        jobs.push({
          name: 'effect.batch',
          data: { type, rows } satisfies JobPayloads['effect.batch'],
          opts: { ...JOB_OPTIONS['effect.batch'], jobId: jobIds.effectBatch(rows[0]!.outboxId) },
        });
      }
    }
    await addJobs(this.effects, jobs);
  }

  /**
   * Whether both queues' Redis connections are up: a promise until they first connect, then known
   * at once (each queue keeps its ioredis client for its life; ioredis reconnects that client).
   */
  private redisConnected(): boolean | Promise<boolean> {
    const ready = (clients: ReadonlyArray<{ status: string }>) => clients.every((client) => client.status === 'ready');
    if (this.clients) return ready(this.clients);
    return Promise.all([this.deadlines.client, this.effects.client]).then((clients) => ready((this.clients = clients)));
  }

  private async removeDeadlineJobs(withJobs: ReadonlyArray<Pick<DeadlineEntity, 'id'>>): Promise<void> {
    await Promise.all(withJobs.map((deadline) => this.deadlines.remove(jobIds.deadline(deadline.id))));
  }
}

type BulkJob = Parameters<Queue['addBulk']>[0][number];

/** Taken when the row is handed over, in the request that committed it (jobOrigin reads its trace context). */
function effectJobData(row: RelayedEffect): EffectJobData {
  return { outboxId: row.id, caseId: row.caseId, type: row.type, ...jobOrigin(row.requestId) };
}

function effectRunJob(data: EffectJobData, delayMs: number): BulkJob {
  return { name: 'effect.run', data, opts: { ...JOB_OPTIONS['effect.run'], jobId: jobIds.effect(data.outboxId), ...(delayMs > 0 ? { delay: delayMs } : {}) } };
}

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
