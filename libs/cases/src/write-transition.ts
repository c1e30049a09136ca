import type { SqlSession, SqlStatement } from '@app/db';
import type { CaseTransition } from '@app/domain';
import type { SlaTracker } from '@app/sla';
import type { Actor } from './actor';
import { writeCaseChanges } from './case-writes';
import { deadlineJobChanges, headsBefore } from './dispatch/deadline-jobs';
import type { CommittedWork } from './dispatch/post-commit-dispatcher';
import type { LockedCase } from './lock-case';
import { planCaseRefundShare } from './refund-ledger';
import { recordTransition, setNextDeadline } from './transition-recorder';
import type { CaseViewInputs } from './views/case-view';

export interface WrittenTransition extends CommittedWork {
  /** What the case view needs besides the case row, as the transition left it (no re-read after commit). */
  viewInputs: Omit<CaseViewInputs, 'now' | 'extras'>;
  /** The rows of `readAfterWrite`, when it was given. */
  readAfterWrite?: object[];
}

export interface WriteTransitionOptions {
  /** The admin audit entry the transition writes with it (a proposal decided), if any. */
  auditEntry?: SqlStatement;
  /** A read sent in the write's round trip, after the write and before the commit (CaseChanges.readAfterWrite). */
  readAfterWrite?: SqlStatement;
}

/**
 * A transition of an existing case, in the caller's transaction: the one place that builds
 * everything it changes and writes it, as one statement (writeCaseChanges). In order:
 * 1. the refund ledger's movement is checked under its lock, before anything is built, so a
 *    refusal (REFUND_EXCEEDS_TRANSACTION) leaves the case and its deadlines as read;
 * 2. the SLA plan (policy, machine deadline placement, the clocks as read);
 * 3. the machine's part (recordTransition: snapshot, timeline row, machine deadlines, outbox);
 * 4. the clocks phase and the alarms phase of the SLA tracker (pure);
 * 5. the case's next deadline, then the write: the transaction's last statement (on the command
 *    path its commit, and the caller's readAfterWrite, go in the same round trip).
 */
export async function writeTransition(
  sql: SqlSession,
  sla: SlaTracker,
  /** The case and its live deadlines as lockCaseWithLiveDeadlines read and locked them. */
  locked: LockedCase,
  transition: CaseTransition,
  actor: Actor,
  now: Date,
  options: WriteTransitionOptions = {},
): Promise<WrittenTransition> {
  const { entity, live } = locked;
  const jobHeadsBefore = headsBefore(live);
  const ledger = await planCaseRefundShare(sql, entity, transition.refundLedger, now);
  const plan = await sla.plan(entity, locked.clocks);
  const recorded = recordTransition(entity, transition, actor, now, { isNew: false, dueAt: plan.dueAt, live });
  const clocks = sla.stepClocks(plan, entity, { phase: transition.slaPhase, caseDone: transition.status === 'done', actorKind: actor.kind, now });
  const alarms = sla.planAlarms(plan, entity, clocks, { scheduled: recorded.scheduledDeadlines, cancelledIds: recorded.cancelledDeadlineIds, pending: recorded.pending }, now);
  setNextDeadline(entity, recorded.pending);
  const newDeadlines = [...recorded.scheduledDeadlines, ...alarms.scheduled];
  const readAfterWrite = await writeCaseChanges(sql, {
    entity,
    live,
    loaded: locked.loaded,
    newRows: { events: [recorded.event, ...clocks.annotations], deadlines: newDeadlines, outbox: recorded.outbox },
    clocks: clocks.changed,
    ledger,
    auditEntry: options.auditEntry,
    readAfterWrite: options.readAfterWrite,
    now,
  });
  return {
    deadlineJobs: deadlineJobChanges(jobHeadsBefore, [...live, ...newDeadlines]),
    outbox: recorded.outbox,
    viewInputs: {
      deadlines: [...recorded.pending.filter((d) => d.status === 'pending'), ...recorded.firedSla],
      clocks: clocks.clocks,
      calendar: plan.context?.calendar,
    },
    readAfterWrite,
  };
}
