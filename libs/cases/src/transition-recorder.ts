import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CaseTransition, ScheduledDeadline } from '@app/domain';
import { CaseEntity, CaseEventEntity, DeadlineEntity, OutboxEntity } from '@app/db';
import type { Actor } from './actor';
import type { CommittedWork } from './dispatch/post-commit-dispatcher';

/**
 * Writes one machine transition into the unit of work of the current transaction: the new
 * snapshot on the case (the flush bumps its version, WHERE version = old), the timeline row,
 * deadline rows for scheduled `after` events, cancelled deadlines, and outbox rows for effects.
 * Everything commits together or not at all.
 */
/** When a scheduled machine deadline is due; the SLA policy may measure it in business time. */
export type DueAtPlanner = (scheduled: ScheduledDeadline, now: Date) => Date;

export const calendarDueAt: DueAtPlanner = (scheduled, now) => new Date(now.getTime() + scheduled.delayMs);

export interface RecordedTransition extends CommittedWork {
  /** Every deadline of the case still pending after this transition (machine and SLA alarms). */
  pending: DeadlineEntity[];
  /** SLA alarms that already fired (the reminders sent): the case view lists them, read in the same query. */
  firedSla: DeadlineEntity[];
}

export async function recordTransition(
  em: EntityManager,
  caseEntity: CaseEntity,
  transition: CaseTransition,
  actor: Actor,
  now: Date,
  options: { isNew: boolean; dueAt?: DueAtPlanner; live?: DeadlineEntity[] },
): Promise<RecordedTransition> {
  const fromState = options.isNew ? null : caseEntity.state;
  // Locked (after the case row, the order every command keeps): a reminder sweep, which takes no
  // case lock, then either skips these rows or has settled them before we read them, so this
  // transition never overwrites a reminder that was sent with "cancelled". A caller that read them
  // with the case (lockCaseWithLiveDeadlines) passes them in.
  const live = options.isNew
    ? []
    : (options.live ??
      (await em.find(DeadlineEntity, { caseId: caseEntity.id, $or: [{ status: 'pending' }, { kind: 'sla', status: 'fired' }] }, { lockMode: LockMode.PESSIMISTIC_WRITE })));
  const pending = live.filter((deadline) => deadline.status === 'pending');
  const firedSla = live.filter((deadline) => deadline.status === 'fired');
  const dueAt = options.dueAt ?? calendarDueAt;

  const cancelledDeadlineIds: string[] = [];
  for (const deadline of pending) {
    if (deadline.kind === 'machine' && transition.cancelledSendIds.includes(deadline.sendId)) {
      deadline.status = 'cancelled';
      deadline.settledAt = now;
      cancelledDeadlineIds.push(deadline.id);
    }
  }

  const scheduledDeadlines = transition.scheduled.map((scheduled) => {
    const deadline = em.create(DeadlineEntity, {
      id: randomUUID(),
      caseId: caseEntity.id,
      name: scheduled.name,
      sendId: scheduled.sendId,
      event: scheduled.event,
      dueAt: dueAt(scheduled, now),
      createdAt: now,
    });
    return deadline;
  });

  const stillPending = [...pending.filter((deadline) => deadline.status === 'pending'), ...scheduledDeadlines];
  setNextDeadline(caseEntity, stillPending);
  caseEntity.snapshot = transition.snapshot;
  caseEntity.state = transition.state;
  caseEntity.status = transition.status;

  em.create(CaseEventEntity, {
    caseId: caseEntity.id,
    category: 'machine',
    type: transition.event.type,
    actorKind: actor.kind,
    actorId: actor.id,
    fromState,
    toState: transition.state,
    caseVersion: options.isNew ? 1 : caseEntity.version + 1,
    payload: transition.event,
    createdAt: now,
  });

  const outbox = transition.effects.map((effect) =>
    em.create(OutboxEntity, {
      id: randomUUID(),
      caseId: caseEntity.id,
      type: effect.type,
      payload: { ...effect.params, caseState: transition.state, caseKind: caseEntity.kind },
      createdAt: now,
    }),
  );

  return { scheduledDeadlines, cancelledDeadlineIds, outbox, pending: stillPending, firedSla };
}

/**
 * The queue sorts by the next thing that happens by itself: a machine deadline or an SLA breach
 * (reminders are only warnings and do not count).
 */
export function setNextDeadline(caseEntity: CaseEntity, pending: DeadlineEntity[]): void {
  const relevant = pending.filter((d) => d.status === 'pending' && (d.kind === 'machine' || d.name === 'breach'));
  caseEntity.nextDeadlineAt = relevant.length ? new Date(Math.min(...relevant.map((d) => d.dueAt.getTime()))) : null;
}
