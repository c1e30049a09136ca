import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Clock } from '@app/config';
import type { DeadlineEntity, OutboxEntity } from '@app/db';
import { JOB_OPTIONS, QUEUES, jobIds, type JobPayloads } from '@app/queues';

export interface CommittedWork {
  scheduledDeadlines: DeadlineEntity[];
  cancelledDeadlineIds: string[];
  outbox: OutboxEntity[];
}

/**
 * Puts what a committed transaction produced onto BullMQ. It runs after commit and never throws:
 * if Redis is down or the process dies here, the rows are still in PostgreSQL and the reconciler
 * (deadlines) and the periodic relay (outbox) enqueue them later. Job ids are derived from row
 * ids, so enqueuing the same row twice is a no-op.
 */
@Injectable()
export class PostCommitDispatcher {
  private readonly logger = new Logger(PostCommitDispatcher.name);

  constructor(
    @InjectQueue(QUEUES.deadlines) private readonly deadlines: Queue,
    @InjectQueue(QUEUES.effects) private readonly effects: Queue,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async dispatch(work: CommittedWork): Promise<void> {
    await Promise.all([
      this.enqueueDeadlines(work.scheduledDeadlines).catch((error) => this.logger.warn(`deadline enqueue deferred to reconciler: ${error}`)),
      this.removeDeadlineJobs(work.cancelledDeadlineIds).catch((error) => this.logger.warn(`stale deadline jobs left (harmless): ${error}`)),
      this.enqueueEffects(work.outbox).catch((error) => this.logger.warn(`outbox relay deferred: ${error}`)),
    ]);
  }

  async enqueueDeadlines(deadlines: ReadonlyArray<Pick<DeadlineEntity, 'id' | 'caseId' | 'dueAt'>>): Promise<void> {
    if (deadlines.length === 0) return;
    const now = this.clock.now().getTime();
    await this.deadlines.addBulk(
      deadlines.map((deadline) => ({
        name: 'deadline.fire',
        data: { deadlineId: deadline.id, caseId: deadline.caseId } satisfies JobPayloads['deadline.fire'],
        opts: { ...JOB_OPTIONS['deadline.fire'], jobId: jobIds.deadline(deadline.id), delay: Math.max(0, deadline.dueAt.getTime() - now) },
      })),
    );
  }

  /**
   * Enqueues effects again after BullMQ gave up on them: the finished job still holds its id and
   * would swallow the re-add, so it is removed first. Handlers are idempotent by the outbox id.
   */
  async requeueEffects(rows: ReadonlyArray<Pick<OutboxEntity, 'id' | 'caseId' | 'type'>>): Promise<void> {
    await Promise.all(rows.map((row) => this.effects.remove(jobIds.effect(row.id))));
    await this.enqueueEffects(rows);
  }

  async enqueueEffects(rows: ReadonlyArray<Pick<OutboxEntity, 'id' | 'caseId' | 'type'>>): Promise<void> {
    if (rows.length === 0) return;
    await this.effects.addBulk(
      rows.map((row) => ({
        name: 'effect.run',
        data: { outboxId: row.id, caseId: row.caseId, type: row.type } satisfies JobPayloads['effect.run'],
        opts: { ...JOB_OPTIONS['effect.run'], jobId: jobIds.effect(row.id) },
      })),
    );
  }

  private async removeDeadlineJobs(deadlineIds: string[]): Promise<void> {
    // Only tidiness: a cancelled deadline's job that still fires finds its row cancelled and does nothing.
    await Promise.all(deadlineIds.map((id) => this.deadlines.remove(jobIds.deadline(id))));
  }
}
