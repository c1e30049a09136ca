import type { EntityManager } from '@mikro-orm/postgresql';
import type { CaseEntity, DeadlineEntity } from '@app/db';
import type { CaseTransition } from '@app/domain';
import type { SlaTracker } from '@app/sla';
import type { Actor } from './actor';
import type { NewCaseRows } from './case-writes';
import type { CommittedWork } from './dispatch/post-commit-dispatcher';
import { recordTransition, setNextDeadline } from './transition-recorder';
import type { CaseViewInputs } from './views/case-view';

export interface RecordedWithSla extends CommittedWork {
  /**
   * The rows the machine transition adds, for writeCaseChanges to insert. The SLA tracker's own
   * rows (clocks, alarms, annotations) are in the unit of work and go out with its flush.
   */
  newRows: NewCaseRows;
  /** What the case view needs besides the case row, as the transition left it (no re-read after commit). */
  viewInputs: Omit<CaseViewInputs, 'now'>;
}

/** A transition of an existing case with its SLA clocks kept in step, in the caller's transaction. */
export async function recordWithSla(
  em: EntityManager,
  sla: SlaTracker,
  entity: CaseEntity,
  transition: CaseTransition,
  actor: Actor,
  now: Date,
  /** The case's live deadlines, locked with the case (lockCaseWithLiveDeadlines). */
  live: DeadlineEntity[],
): Promise<RecordedWithSla> {
  const context = await sla.forCase(entity);
  const recorded = recordTransition(entity, transition, actor, now, { isNew: false, dueAt: sla.dueAtPlanner(context), live });
  const slaWork = await sla.onTransition(em, entity, transition.slaPhase, transition.status === 'done', actor.kind, now, recorded.pending);
  const windowReminders = sla.planWindowReminders(em, entity, context, recorded.scheduledDeadlines, now);
  // Reminders of a merchant window that just closed (the merchant answered) go with it.
  const closedWindows = new Set(recorded.cancelledDeadlineIds.map((id) => `window.${id}`));
  const cancelledReminders = recorded.pending.filter((d) => d.status === 'pending' && closedWindows.has(d.sendId));
  for (const reminder of cancelledReminders) {
    reminder.status = 'cancelled';
    reminder.settledAt = now;
  }
  setNextDeadline(entity, recorded.pending);
  return {
    newRows: { events: [recorded.event], deadlines: recorded.scheduledDeadlines, outbox: recorded.outbox },
    scheduledDeadlines: [...recorded.scheduledDeadlines, ...slaWork.scheduled, ...windowReminders],
    cancelledDeadlineIds: [...recorded.cancelledDeadlineIds, ...slaWork.cancelledIds, ...cancelledReminders.map((d) => d.id)],
    outbox: recorded.outbox,
    viewInputs: {
      deadlines: [...recorded.pending.filter((d) => d.status === 'pending'), ...recorded.firedSla],
      clocks: slaWork.clocks,
      calendar: context?.calendar,
    },
  };
}
