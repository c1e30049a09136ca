import type { EntityManager } from '@mikro-orm/postgresql';
import type { CaseTransition } from '@app/domain';
import type { SlaTracker } from '@app/sla';
import type { Actor } from './actor';
import { writeCaseChanges } from './case-writes';
import type { CommittedWork } from './dispatch/post-commit-dispatcher';
import type { LockedCase } from './lock-case';
import { moveCaseRefundShare } from './refund-ledger';
import { recordTransition, setNextDeadline } from './transition-recorder';
import type { CaseViewInputs } from './views/case-view';

export interface RecordedWithSla extends CommittedWork {
  /** What the case view needs besides the case row, as the transition left it (no re-read after commit). */
  viewInputs: Omit<CaseViewInputs, 'now' | 'extras'>;
}

/**
 * A transition of an existing case with its SLA clocks kept in step, in the caller's transaction:
 * the case's own rows are written here (writeCaseChanges); the SLA tracker's (clocks, alarms,
 * annotations) are in the unit of work and go out with the flush that ends the transaction.
 * Every transition of an existing case passes here, so this is where its transaction's refund
 * ledger moves: first, before anything is changed, so a refusal (REFUND_EXCEEDS_TRANSACTION)
 * leaves the case, its deadlines and the unit of work untouched.
 */
export async function recordWithSla(
  em: EntityManager,
  sla: SlaTracker,
  /** The case and its live deadlines as lockCaseWithLiveDeadlines read and locked them. */
  locked: LockedCase,
  transition: CaseTransition,
  actor: Actor,
  now: Date,
): Promise<RecordedWithSla> {
  const { entity, live } = locked;
  await moveCaseRefundShare(em, entity, transition.refundLedger, now);
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
  const newRows = { events: [recorded.event], deadlines: recorded.scheduledDeadlines, outbox: recorded.outbox };
  await writeCaseChanges(em, { entity, live, loaded: locked.loaded, newRows, now });
  return {
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
