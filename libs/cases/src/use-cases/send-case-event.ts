import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuditLog } from '@app/audit';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AgentEntity, type CaseEntity, type DeadlineEntity } from '@app/db';
import { applyEvent, definitionFor, type CaseTransition, type MachineEvent } from '@app/domain';
import { SlaTracker } from '@app/sla';
import { senderOf, type Actor } from '../actor';
import { CaseClock } from '../case-clock';
import { APPROVAL_VERDICTS } from '../approvals/approval-verdicts';
import { PostCommitDispatcher } from '../dispatch/post-commit-dispatcher';
import { caseNotFound, isUuid, responseWindowClosed, rethrowLockConflict, versionConflict } from '../errors';
import { lockCaseWithLiveDeadlines } from '../lock-case';
import { assertMerchantReachable } from '../merchant-reachability';
import { recordWithSla } from '../record-with-sla';
import { toCaseView, type CaseView } from '../views/case-view';
import { readCaseViewExtras } from '../views/case-view-extras';

export interface SendCaseEventCommand {
  caseId: string;
  event: MachineEvent;
  /** The version the sender saw. Required for people; system senders pass undefined and retry on conflict. */
  expectedVersion?: number;
}

export interface SentCaseEvent {
  /** The case's version after the event. */
  version: number;
  /**
   * The case as this event left it, for the actor who sent it: built from the rows the command
   * already holds (snapshot, deadlines, clocks), so answering needs no second read of them (only
   * the assignee's name, when the case has one).
   */
  view(): Promise<CaseView>;
}

/**
 * The one command path every event takes (agents, merchants, the refund gateway): load and lock
 * the case, check the version, compute the next snapshot with the case's own machine version, and
 * commit snapshot + timeline + deadlines + outbox in one transaction (recordWithSla writes them;
 * SLA bookkeeping by the unit of work's flush at the end of the same transaction).
 */
@Injectable()
export class SendCaseEvent {
  constructor(
    private readonly em: EntityManager,
    private readonly dispatcher: PostCommitDispatcher,
    private readonly sla: SlaTracker,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AdminAuditLog,
    private readonly caseClock: CaseClock,
  ) {}

  /**
   * `inSameTransaction` runs inside the command's transaction before the event is applied; it lets
   * an effect handler settle its own row atomically with the event it reports (see the refund
   * handler), and returning false turns the command into a no-op.
   */
  async execute(command: SendCaseEventCommand, actor: Actor, options: { inSameTransaction?: (em: EntityManager) => Promise<boolean> } = {}): Promise<SentCaseEvent | null> {
    if (!isUuid(command.caseId)) throw caseNotFound(command.caseId);
    let entity: CaseEntity | undefined;
    const work = await this.em
      .transactional(async (em) => {
        // Case row first, then its deadlines: the lock order every command and deadline firing keeps.
        const locked = await lockCaseWithLiveDeadlines(em, command.caseId);
        if (!locked) throw caseNotFound(command.caseId);
        entity = locked.entity;
        // The case's own time: a test case on a test clock lives at the clock's frozen time.
        const now = await this.caseClock.now(em, entity);
        if (actor.kind === 'merchant') refuseAfterWindow(locked.entity.id, locked.live, now);
        if (options.inSameTransaction && !(await options.inSameTransaction(em))) return null;
        if (command.expectedVersion !== undefined && entity.version !== command.expectedVersion) {
          throw versionConflict(entity.id, command.expectedVersion, entity.version);
        }
        const definition = definitionFor(entity.kind, entity.machineVersion);
        const proposal = (entity.snapshot as { context?: { proposal?: unknown } }).context?.proposal ?? null;
        const transition = applyEvent(definition, entity.snapshot as never, command.event, this.senderOf(actor));
        if (command.event.type === 'FORWARD_TO_MERCHANT') await assertMerchantReachable(em, entity);
        const work = await recordWithSla(em, this.sla, locked, transition, actor, now);
        this.auditApproval(em, entity, transition, proposal, actor, now);
        return { ...work, now };
      })
      .catch((error) => rethrowLockConflict(error, command.caseId, command.expectedVersion));
    if (!work || !entity) return null;
    await this.dispatcher.dispatch(work);
    const committed = entity;
    return {
      // writeCaseChanges bumped the version (UPDATE … WHERE version = old RETURNING version).
      version: committed.version,
      view: async () => {
        // Only callers that answer with the case pay for these reads (the assignee's name, the view's extras).
        if (committed.assignee) {
          committed.assignee = await this.em.findOne(AgentEntity, { id: committed.assignee.id });
        }
        const extras = await readCaseViewExtras(this.em.fork(), committed.id);
        return toCaseView(committed, { ...work.viewInputs, extras, now: work.now }, this.senderOf(actor));
      },
    };
  }

  private senderOf(actor: Actor) {
    return senderOf(actor, this.config.approvals.refundLimits);
  }

  /**
   * A second person's approval or rejection of a proposal is an administrative act: besides the
   * case's own (hash-chained) timeline it goes to the admin audit log, in the same transaction.
   */
  private auditApproval(em: EntityManager, entity: CaseEntity, transition: CaseTransition, proposal: unknown, actor: Actor, now: Date): void {
    const verdict = APPROVAL_VERDICTS[transition.event.type];
    if (!verdict || actor.kind !== 'agent') return;
    this.audit.record(
      em,
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
