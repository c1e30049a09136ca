import { randomUUID } from 'node:crypto';
import { caseMoment, escalatedPriority, notifiesMerchant, type CaseTransition, type ScheduledDeadline } from '@app/domain';
import { CaseEntity, CaseEventEntity, DeadlineEntity, OutboxEntity } from '@app/db';
import { currentRequestId } from '@app/observability';
import type { Actor } from './actor';

/** When a scheduled machine deadline is due; the SLA policy may measure it in business time. */
export type DueAtPlanner = (scheduled: ScheduledDeadline, now: Date) => Date;

export const calendarDueAt: DueAtPlanner = (scheduled, now) => new Date(now.getTime() + scheduled.delayMs);

export interface RecordedTransition {
  /** The timeline row of the transition (not yet written). */
  event: CaseEventEntity;
  /** Machine deadlines the transition scheduled (new rows). */
  scheduledDeadlines: DeadlineEntity[];
  /** Machine deadlines it cancelled (marked on the live rows). */
  cancelledDeadlineIds: string[];
  /** Effects it leaves through the outbox (new rows). */
  outbox: OutboxEntity[];
  /** Every deadline of the case still pending after this transition (machine and SLA alarms). */
  pending: DeadlineEntity[];
  /** SLA alarms that already fired (the reminders sent): the case view lists them, read in the same query. */
  firedSla: DeadlineEntity[];
}

/**
 * Applies one machine transition to the case in memory and builds the rows it adds: the new
 * snapshot and state on the case, the timeline row, deadline rows for scheduled `after` events,
 * cancelled deadlines (marked on the live rows), and outbox rows for effects. It writes nothing
 * and persists nothing: a new case's rows go through the unit of work (OpenCase), an existing
 * case's through writeCaseChanges, in the caller's transaction. Everything commits together or
 * not at all.
 */
export function recordTransition(
  caseEntity: CaseEntity,
  transition: CaseTransition,
  actor: Actor,
  now: Date,
  options: {
    isNew: boolean;
    dueAt?: DueAtPlanner;
    /**
     * The case's live deadlines, locked after the case row (lockCaseWithLiveDeadlines; none for a
     * new case): a reminder sweep, which takes no case lock, then either skips these rows or has
     * settled them before we read them, so a transition never overwrites a sent reminder.
     */
    live: DeadlineEntity[];
  },
): RecordedTransition {
  const fromState = options.isNew ? null : caseEntity.state;
  const live = options.live;
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

  const scheduledDeadlines = transition.scheduled.map((scheduled) =>
    Object.assign(new DeadlineEntity(), {
      id: randomUUID(),
      caseId: caseEntity.id,
      name: scheduled.name,
      sendId: scheduled.sendId,
      event: scheduled.event,
      dueAt: dueAt(scheduled, now),
      createdAt: now,
    }),
  );

  const stillPending = [...pending.filter((deadline) => deadline.status === 'pending'), ...scheduledDeadlines];
  setNextDeadline(caseEntity, stillPending);
  caseEntity.snapshot = transition.snapshot;
  caseEntity.state = transition.state;
  if (transition.escalate) {
    caseEntity.priority = escalatedPriority(caseEntity.priority);
    caseEntity.escalatedAt ??= now;
  }
  caseEntity.status = transition.status;

  const event = Object.assign(new CaseEventEntity(), {
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

  // The request (or the job of a request) this runs for: the effects' jobs carry its id on.
  const requestId = currentRequestId() ?? null;
  const outbox = transition.effects.map((effect) =>
    Object.assign(new OutboxEntity(), {
      id: randomUUID(),
      caseId: caseEntity.id,
      type: effect.type,
      payload: { ...effect.params, caseState: transition.state, caseKind: caseEntity.kind, ...merchantMoment(caseEntity, effect, event.caseVersion, stillPending, now) },
      createdAt: now,
      requestId,
    }),
  );

  return { event, scheduledDeadlines, cancelledDeadlineIds, outbox, pending: stillPending, firedSla };
}

/**
 * What the merchant's webhook will say is frozen here, with the row, so a retry or a late delivery
 * carries the case as this transition left it (see CaseMoment).
 */
function merchantMoment(caseEntity: CaseEntity, effect: CaseTransition['effects'][number], version: number, pending: DeadlineEntity[], now: Date) {
  if (effect.type !== 'notify' || !caseEntity.merchantId || !notifiesMerchant(effect.params)) return {};
  return { moment: caseMoment({ at: now, version, state: caseEntity.state, status: caseEntity.status, snapshot: caseEntity.snapshot, deadlines: pending }) };
}

/**
 * The queue sorts by the next thing that happens by itself: a machine deadline or an SLA breach
 * (reminders are only warnings and do not count).
 */
export function setNextDeadline(caseEntity: CaseEntity, pending: DeadlineEntity[]): void {
  const relevant = pending.filter((d) => d.status === 'pending' && (d.kind === 'machine' || d.name === 'breach'));
  caseEntity.nextDeadlineAt = relevant.length ? new Date(Math.min(...relevant.map((d) => d.dueAt.getTime()))) : null;
}
