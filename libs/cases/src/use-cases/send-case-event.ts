import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AdminAuditLog } from '@app/audit';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { sqlSessionOf, SqlTransactions, type CaseEntity, type DeadlineEntity, type SqlSession, type SqlStatement } from '@app/db';
import { applyEvent, definitionFor, DomainError, restoreSnapshot, type CaseMachineDefinition, type CaseTransition, type MachineEvent } from '@app/domain';
import { SlaTracker } from '@app/sla';
import { agentIdOf, senderOf, type Actor } from '../actor';
import { CaseClock } from '../case-clock';
import { APPROVAL_VERDICTS } from '../approvals/approval-verdicts';
import { PostCommitDispatcher } from '../dispatch/post-commit-dispatcher';
import { caseNotFound, isUuid, responseWindowClosed, rethrowLockConflict, versionConflict } from '../errors';
import { lockCaseWithLiveDeadlines, type LockedCase } from '../lock-case';
import { decidedAloneMinor } from '../refund-ledger';
import { assertMerchantReachable, readDisputeMerchantReachability } from '../merchant-reachability';
import { offeredEvents, toCaseView, type CaseView } from '../views/case-view';
import { caseViewExtrasOf, caseViewExtrasStatement } from '../views/case-view-extras';
import { writeTransition, type WrittenTransition } from '../write-transition';

export interface SendCaseEventCommand {
  caseId: string;
  event: MachineEvent;
  /** The version the sender saw. Required for people; system senders pass undefined and retry on conflict. */
  expectedVersion?: number;
}

export interface SentCaseEvent {
  /** The case's version after the event. */
  version: number;
}

/**
 * The transaction a use case composes the steps in: its own entity writes go through `em` (they
 * are flushed at the commit), the steps take `sql` (plain statements in the same transaction).
 */
export interface CaseTransaction {
  em: EntityManager;
  sql: SqlSession;
}

/** An event applied and written in a transaction that has not committed yet: `publish` it after the commit. */
export interface AppliedCaseEvent {
  readonly entity: CaseEntity;
  readonly work: WrittenTransition & { now: Date };
}

/**
 * The one command path every event takes (agents, merchants, the wallet, the clock): lock the
 * case, check the version, compute the next snapshot with the case's own machine version, and
 * write snapshot + timeline + deadlines + SLA clocks and alarms + outbox in one statement of one
 * transaction (writeTransition).
 *
 * `execute` does it all in a transaction of its own, on a pooled connection without the unit of
 * work (SqlTransactions: nothing on this path is an entity MikroORM tracks), in two round trips:
 * the lock (with `begin`), then the write (with `commit`). A use case that
 * changes rows of its own with the event (evidence submitted, a wallet outcome settled) composes
 * the steps itself, in this order, inside `transaction`: `lock` (the case row first: the lock
 * order every command keeps), its own reads and writes, `apply`; then `publish` after the commit.
 */
@Injectable()
export class SendCaseEvent {
  private readonly logger = new Logger(SendCaseEvent.name);

  constructor(
    private readonly em: EntityManager,
    private readonly sqlTransactions: SqlTransactions,
    private readonly dispatcher: PostCommitDispatcher,
    private readonly sla: SlaTracker,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AdminAuditLog,
    private readonly caseClock: CaseClock,
  ) {}

  async execute(command: SendCaseEventCommand, actor: Actor): Promise<SentCaseEvent> {
    return this.publish(await this.applyAlone(command, actor, false));
  }

  /**
   * The same, answering with the case as this event left it, for the actor who sent it (the
   * agent's route). The view is built from the rows the command already holds (snapshot,
   * deadlines, clocks); what it shows besides them (the assignee's name, refunds, evidence, what the
   * agent decided alone, …) is read in the write's own round trip, after the write and before the
   * commit, under the case lock: no other command on the case can come between the event and its
   * answer, and answering costs no round trip of its own. If that read fails, the event fails with
   * it and nothing is written (the agent sends it again), rather than committing an event whose
   * sender was told it failed.
   */
  async executeAndView(command: SendCaseEventCommand, actor: Actor): Promise<CaseView> {
    const applied = await this.applyAlone(command, actor, true);
    await this.publish(applied);
    const { entity, work } = applied;
    return toCaseView(entity, { ...work.viewInputs, extras: caseViewExtrasOf(work.readAfterWrite![0]!), now: work.now }, this.senderOf(actor));
  }

  /** Lock and apply in a transaction of their own, on a pooled connection, with the view's read if asked. */
  private applyAlone(command: SendCaseEventCommand, actor: Actor, withView: boolean): Promise<AppliedCaseEvent> {
    if (!isUuid(command.caseId)) throw caseNotFound(command.caseId);
    return this.sqlTransactions
      .run(async (sql) => {
        const locked = await this.lock(sql, command.caseId, actor);
        return this.apply(sql, locked, command, actor, withView ? caseViewExtrasStatement(locked.entity, agentIdOf(actor)) : undefined);
      })
      .catch((error) => rethrowLockConflict(error, command.caseId, command.expectedVersion));
  }

  /**
   * A transaction for composing the steps on one case; a lock that could not be had (deadlock,
   * lock timeout) comes out as the same VERSION_CONFLICT that `execute` gives.
   */
  transaction<T>(command: Pick<SendCaseEventCommand, 'caseId' | 'expectedVersion'>, work: (tx: CaseTransaction) => Promise<T>): Promise<T> {
    if (!isUuid(command.caseId)) throw caseNotFound(command.caseId);
    return this.em.transactional((em) => work({ em, sql: sqlSessionOf(em) })).catch((error) => rethrowLockConflict(error, command.caseId, command.expectedVersion));
  }

  /**
   * Step 1, in the caller's transaction: the case row, then its live deadlines, locked. A merchant's
   * answer after its window's deadline came due is refused here, before anything else happens.
   */
  async lock(sql: SqlSession, caseId: string, actor: Actor): Promise<LockedCase> {
    if (!isUuid(caseId)) throw caseNotFound(caseId);
    const locked = await lockCaseWithLiveDeadlines(sql, caseId);
    if (!locked) throw caseNotFound(caseId);
    // The case's own time: a test case on a test clock lives at the clock's frozen time.
    if (actor.kind === 'merchant') refuseAfterWindow(locked.entity.id, locked.live, await this.caseClock.now(sql, locked.entity));
    return locked;
  }

  /**
   * Step 2, in the same transaction: the event applied to the locked case, and everything it
   * changes written, as the transaction's last statement (`readAfterWrite` goes with it).
   */
  async apply(sql: SqlSession, locked: LockedCase, command: SendCaseEventCommand, actor: Actor, readAfterWrite?: SqlStatement): Promise<AppliedCaseEvent> {
    const entity = locked.entity;
    if (command.expectedVersion !== undefined && entity.version !== command.expectedVersion) {
      throw versionConflict(entity.id, command.expectedVersion, entity.version);
    }
    const definition = definitionFor(entity.kind, entity.machineVersion);
    const proposal = (entity.snapshot as { context?: { proposal?: unknown } }).context?.proposal ?? null;
    let transition: CaseTransition;
    try {
      transition = applyEvent(definition, entity.snapshot as never, command.event, this.senderOf(actor));
    } catch (refusal) {
      throw await this.offeringAsTheView(sql, refusal, definition, entity, actor);
    }
    if (command.event.type === 'FORWARD_TO_MERCHANT') await assertMerchantReachable(sql, entity);
    const now = await this.caseClock.now(sql, entity);
    const work = await writeTransition(sql, this.sla, locked, transition, actor, now, {
      auditEntry: this.approvalAuditEntry(entity, transition, proposal, actor, now),
      readAfterWrite,
    });
    return { entity, work: { ...work, now } };
  }

  /** Step 3, after the commit: the jobs to BullMQ. */
  async publish(applied: AppliedCaseEvent): Promise<SentCaseEvent> {
    await this.dispatcher.dispatch(applied.work);
    // writeCaseChanges bumped the version (UPDATE … WHERE version = old RETURNING version).
    return { version: applied.entity.version };
  }

  /**
   * A refused event lists what the sender may send instead. The engine lists it from the case's
   * machine alone; the case view offers less, and so does the refusal: an agent who already decided
   * alone on the case's wallet transaction is held to what is left of their limit (four eyes per
   * transaction: a decision alone above it is offered as its proposal), and a dispute whose merchant
   * cannot be reached is not offered the forward. The refusal is the answer: if one of these reads
   * fails, that part of the offer stays as the engine listed it.
   */
  private async offeringAsTheView(sql: SqlSession, refusal: unknown, definition: CaseMachineDefinition, entity: CaseEntity, actor: Actor): Promise<unknown> {
    if (!(refusal instanceof DomainError) || !refusal.details.allowedEvents) return refusal;
    const decided = actor.kind === 'agent' && actor.id && entity.transactionRef ? await this.readForRefusal(decidedAloneMinor(sql, entity.transactionRef, actor.id)) : undefined;
    // Only a list with the forward can lose it.
    const reachability = refusal.details.allowedEvents.includes('FORWARD_TO_MERCHANT') ? await this.readForRefusal(readDisputeMerchantReachability(sql, entity.id)) : undefined;
    if (!decided && (!reachability || reachability.reachable)) return refusal;
    const offered = offeredEvents(definition, restoreSnapshot(definition, entity.snapshot as never), this.senderOf(actor), {
      decidedAloneMinor: decided ?? 0,
      merchantReachability: reachability ?? null,
    });
    return new DomainError(refusal.code, refusal.message, { ...refusal.details, allowedEvents: offered });
  }

  /** A read for a refusal's offer; undefined (the offer left as the engine listed it) if it fails. */
  private readForRefusal<T>(read: Promise<T>): Promise<T | undefined> {
    return read.catch((error: unknown) => {
      this.logger.warn(`a refused event's allowed events are listed as the engine has them: ${String(error)}`);
      return undefined;
    });
  }

  private senderOf(actor: Actor) {
    return senderOf(actor, this.config.approvals.refundLimits);
  }

  /**
   * A second person's approval or rejection of a proposal is an administrative act: besides the
   * case's own (hash-chained) timeline it goes to the admin audit log, in the transition's one write.
   */
  private approvalAuditEntry(entity: CaseEntity, transition: CaseTransition, proposal: unknown, actor: Actor, now: Date): SqlStatement | undefined {
    const verdict = APPROVAL_VERDICTS[transition.event.type];
    if (!verdict || actor.kind !== 'agent') return undefined;
    return this.audit.insertStatement(
      {
        actor: { id: actor.id, label: actor.label ?? actor.id ?? 'agent' },
        action: `case.proposal_${verdict}`,
        target: { type: 'case', id: entity.id },
        // The approver's note or the rejection's reason, with the proposal as it was decided.
        details: { event: transition.event.type, proposal, toState: transition.state, payload: payloadOf(transition.event) },
      },
      now,
    );
  }
}

/**
 * A merchant answers within a window the machine closes with a deadline (the response window, an
 * information request). Once such a deadline is due, the clock has decided, even if the worker that
 * applies it lags: the answer is refused instead of racing it. Every machine deadline of a state
 * the merchant can answer in ends the merchant's window, so any due one closes it.
 */
function refuseAfterWindow(caseId: string, live: readonly DeadlineEntity[], now: Date): void {
  const due = live.find((deadline) => deadline.kind === 'machine' && deadline.status === 'pending' && deadline.dueAt.getTime() <= now.getTime());
  if (due) throw responseWindowClosed(caseId, due);
}

/** An event's own fields, without its type and the sender the engine stamped on it. */
function payloadOf(event: MachineEvent): Record<string, unknown> {
  const { type: _type, by: _by, ...payload } = event;
  return payload;
}
