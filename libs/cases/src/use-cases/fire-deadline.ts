import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { CaseEventEntity, DeadlineEntity, NotificationEntity, sqlSessionOf, SqlTransactions, type SqlSession } from '@app/db';
import { definitionFor, DomainError, DomainErrorCode, escalatedPriority, fireDeadline } from '@app/domain';
import { SlaTracker, type DeadlinePeek } from '@app/sla';
import { CLOCK } from '../actor';
import { currentJobHeads, deadlineJobChanges, headsBefore } from '../dispatch/deadline-jobs';
import { PostCommitDispatcher } from '../dispatch/post-commit-dispatcher';
import { writeCaseChanges } from '../case-writes';
import { supersededBySameTimer } from '../deadline-staleness';
import { lockCaseWithLiveDeadlines, type LockedCase } from '../lock-case';
import { writeTransition } from '../write-transition';
import { setNextDeadline } from '../transition-recorder';

/**
 * `notDueUntil`: the job came before the row's due time; nothing happened and it must come back then.
 * `refused`: the refund ledger refused the decision the deadline would take (see refuseDecision).
 * `held`: the deadline's case runs on a test clock; only advancing that clock fires it (its job may park).
 */
export type FireDeadlineOutcome = 'fired' | 'stale' | 'refused' | 'already-settled' | 'missing' | 'held' | { notDueUntil: Date };

export interface FireDeadlineOptions {
  /**
   * The test clock's time, when advancing a test clock fires the deadline: the firing happens at
   * that instant (decisions, SLA and new deadlines are computed at it). Jobs never pass it.
   */
  at?: Date;
}

/**
 * Delivers a due deadline through the same transactional path as any event. Idempotent: the
 * deadline row is settled in the transaction that applies it, so a second delivery of the job
 * (stalled worker, reconciler re-enqueue) finds it settled and does nothing.
 */
@Injectable()
export class FireDeadline {
  constructor(
    private readonly em: EntityManager,
    private readonly sqlTransactions: SqlTransactions,
    private readonly dispatcher: PostCommitDispatcher,
    private readonly sla: SlaTracker,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(deadlineId: string, options: FireDeadlineOptions = {}): Promise<FireDeadlineOutcome> {
    const peek = await this.sla.peekDeadline(sqlSessionOf(this.em), deadlineId);
    if (!peek) return 'missing';
    // A test clock's deadline fires only when the clock is advanced past it, never by the wall clock.
    if (peek.testClockId && !options.at) return peek.status === 'pending' ? 'held' : 'already-settled';
    const at = options.at;
    // The row's due time decides, not the job's: a job delivered early (added with a wrong delay,
    // clocks apart, someone promoting it) must not end a window the merchant still has.
    if (peek.status === 'pending' && peek.dueAt.getTime() > (at ?? this.clock.now()).getTime()) return { notDueUntil: peek.dueAt };
    // The set-based sweep fires everything due by the wall clock; a test clock's reminder fires alone, below.
    if (peek.clockReminder && !at) return this.fireClockReminders(deadlineId, peek);
    if (peek.status !== 'pending') return 'already-settled';
    let outcome: FireDeadlineOutcome = 'already-settled';
    const work = await this.sqlTransactions.run(async (sql) => {
      // Set by this attempt alone (the transaction may run twice: SqlTransactions.run).
      outcome = 'already-settled';
      // Locks in the same order as every command (case row, then its deadlines), so a deadline
      // firing and an agent's event on the same case queue behind each other instead of deadlocking.
      // Two deliveries of one deadline queue here too, and the second sees it settled.
      const locked = await lockCaseWithLiveDeadlines(sql, peek.caseId);
      if (!locked) throw new Error(`deadline ${deadlineId} belongs to case ${peek.caseId}, which does not exist`);
      const deadline = locked.live.find((candidate) => candidate.id === deadlineId && candidate.status === 'pending');
      if (!deadline) return null;
      const entity = locked.entity;
      const now = at ?? this.clock.now();
      if (deadline.kind === 'sla') {
        // Settling the head of an alarm chain hands the job on to the next alarm of its clock or window.
        const jobHeadsBefore = headsBefore(locked.live);
        const firing = await this.sla.fireAlarm(locked, deadline, now);
        deadline.status = firing.fired ? 'fired' : 'stale';
        deadline.settledAt = now;
        outcome = firing.fired ? 'fired' : 'stale';
        // One writer for all of it: the settled alarm, the clock, and on a breach the case itself
        // (escalated: its row written and its version bumped, as the annotation's case_version says).
        await writeCaseChanges(sql, {
          entity,
          live: locked.live,
          loaded: locked.loaded,
          newRows: { events: firing.annotations, deadlines: firing.scheduled, outbox: firing.outbox, notifications: firing.notifications },
          clocks: firing.clocks,
          writeCase: firing.caseChanged,
          now,
        });
        return { deadlineJobs: deadlineJobChanges(jobHeadsBefore, [...locked.live, ...firing.scheduled]), outbox: firing.outbox };
      }
      const definition = definitionFor(entity.kind, entity.machineVersion);
      const transition = supersededBySameTimer(deadline, locked.live) ? undefined : fireDeadline(definition, entity.snapshot as never, deadline.event);
      if (!transition) {
        deadline.status = 'stale';
        deadline.settledAt = now;
        outcome = 'stale';
        await writeCaseChanges(sql, { entity, live: locked.live, loaded: locked.loaded, newRows: { events: [], deadlines: [], outbox: [] }, writeCase: false, now });
        return null;
      }
      deadline.status = 'fired';
      deadline.settledAt = now;
      outcome = 'fired';
      // The transition's own cancel of this send id must not flip the row back to cancelled.
      const withoutSelf = { ...transition, cancelledSendIds: transition.cancelledSendIds.filter((id) => id !== deadline.sendId) };
      try {
        return await writeTransition(sql, this.sla, locked, withoutSelf, CLOCK, now);
      } catch (error) {
        // writeTransition checks the ledger before it changes anything, so a refusal left all as read.
        if (!(error instanceof DomainError) || error.code !== DomainErrorCode.RefundExceedsTransaction) throw error;
        outcome = 'refused';
        return this.refuseDecision(sql, locked, deadline, error, now);
      }
    });
    if (work) await this.dispatcher.dispatch(work);
    return outcome;
  }

  /**
   * A deadline whose decision would refund more than its transaction has left (other cases of the
   * same transaction committed the rest) is not fired: a clock must never pay what no person could.
   * Nor may the case be stranded waiting for a clock that already rang, so the deadline is settled
   * as `refused`, the case is escalated to the supervisors (escalatedAt, priority one step up, a
   * supervisors' inbox notice) and the timeline says why (`refund.deadline_decision_refused`, with
   * the ledger's figures). The case stays where it was, so a person decides with the events it
   * allows there (e.g. MERCHANT_CONTEST on the merchant's behalf, then a partial refund or a
   * rejection, or WITHDRAW).
   */
  private async refuseDecision(sql: SqlSession, locked: LockedCase, deadline: DeadlineEntity, refusal: DomainError, now: Date) {
    const { entity, live } = locked;
    deadline.status = 'refused';
    deadline.settledAt = now;
    const priorityFrom = entity.priority;
    entity.priority = escalatedPriority(priorityFrom);
    entity.escalatedAt ??= now;
    setNextDeadline(entity, live);
    const note = Object.assign(new CaseEventEntity(), {
      caseId: entity.id,
      category: 'annotation',
      type: 'refund.deadline_decision_refused',
      actorKind: CLOCK.kind,
      actorId: CLOCK.id,
      fromState: entity.state,
      toState: entity.state,
      caseVersion: entity.version + 1,
      payload: { deadline: deadline.name, event: deadline.event.type, priorityFrom, priorityTo: entity.priority, reason: refusal.message, ...refusal.details },
      createdAt: now,
    });
    const notice = Object.assign(new NotificationEntity(), {
      id: randomUUID(),
      audience: 'supervisors' as const,
      recipientAgentId: null,
      caseId: entity.id,
      type: 'refund.deadline_decision_refused',
      payload: { caseId: entity.id, subject: entity.subject, deadline: deadline.name, transactionRef: entity.transactionRef, ...refusal.details },
      dedupeKey: `${deadline.id}-refused`,
      createdAt: now,
    });
    await writeCaseChanges(sql, { entity, live, loaded: locked.loaded, newRows: { events: [note], deadlines: [], outbox: [], notifications: [notice] }, now });
    return { outbox: [] };
  }

  /**
   * Clock reminders change no case, so they take no case lock: each reminder job sweeps every
   * reminder due by now in one statement (SlaTracker.fireDueReminders), even when its own row was
   * settled by an earlier sweep. When thousands come due in the same second (one business calendar
   * opening), whichever job runs next settles everything due so far, so lateness is the time to
   * the next job rather than a wait behind thousands of jobs whose rows are long settled. Each
   * swept clock's next alarm gets its job once the sweep has committed.
   */
  private async fireClockReminders(deadlineId: string, peek: DeadlinePeek): Promise<FireDeadlineOutcome> {
    const swept = await this.sla.fireDueReminders(sqlSessionOf(this.em), deadlineId, this.clock.now());
    await this.handJobsOn(swept.map((row) => row.id));
    const own = swept.find((row) => row.id === deadlineId);
    if (own) return own.status;
    if (peek.status !== 'pending') return 'already-settled';
    // Pending when peeked and not in the sweep: another sweep holds the row (skip locked) or settled
    // it meanwhile. Wait for that transaction, then fire it if it is still pending (theirs rolled back).
    const again = await this.sqlTransactions.run(async (sql) => {
      const [locked] = await sql.all<{ status: string }>(`select status from deadlines where id = ? for update`, [deadlineId]);
      if (locked?.status !== 'pending') return [];
      return this.sla.fireDueReminders(sql, deadlineId, this.clock.now());
    });
    await this.handJobsOn(again.map((row) => row.id));
    return again.find((row) => row.id === deadlineId)?.status ?? 'already-settled';
  }

  /**
   * BullMQ gave up on a deadline's job (out of attempts, stalled too often): the row is marked
   * `failed` for a supervisor's redrive, and, if it headed an alarm chain, the next alarm of the
   * chain gets the job (a failed alarm must not silence the ones after it).
   */
  async giveUp(deadlineId: string): Promise<void> {
    const sql = sqlSessionOf(this.em);
    const failed = await sql.all<{ id: string }>(`update deadlines set status = 'failed' where id = ? and status = 'pending' returning id`, [deadlineId]);
    await this.handJobsOn(failed.map((row) => row.id));
  }

  /** After commit: the chains of SLA alarms settled outside a case's lock get their heads' jobs (deadline-jobs.ts). */
  private async handJobsOn(settledIds: readonly string[]): Promise<void> {
    const heads = await currentJobHeads(sqlSessionOf(this.em), settledIds);
    if (heads.length > 0) await this.dispatcher.dispatch({ deadlineJobs: { add: heads, remove: [] }, outbox: [] });
  }
}
