import { DomainError, DomainErrorCode } from '../errors';
import { refundLimitOf, type Authority } from './approval-rules';

/**
 * A decision one person proposed and a second must approve (maker–checker). Machines keep the
 * open proposal in their context while the case waits in its awaiting-approval state; who
 * proposed it comes from the event's `by` (stamped by the engine, never sent by a client).
 */
export interface Proposal<TAction extends string = string> {
  action: TAction;
  /** What the decision would move, in minor units (0 for decisions that move no money). */
  amountMinor: number;
  currency: string | null;
  reason: string;
  /** The proposing agent's id (null only in samples replayed without a sender). */
  proposedBy: string | null;
}

/** Who sent an event, as the engine stamps it on the events of machines that record it. */
export interface StampedSender {
  kind: string;
  id: string | null;
  role: string | null;
}

/** A machine event as the engine hands it to a machine that records senders. */
export type Stamped<TEvent> = TEvent & { by?: StampedSender };

/** The stamped sender's id, or null (events replayed from samples carry none). */
export function senderIdOf(event: { by?: StampedSender }): string | null {
  return event.by?.id ?? null;
}

/**
 * Refuses a refund the sender may not decide alone (403 APPROVAL_REQUIRED, naming the event that
 * proposes it instead).
 */
export function refundNeedsApproval(sender: Authority, amountMinor: number, currency: string, proposeWith: string): DomainError | undefined {
  const limit = refundLimitOf(sender, currency);
  if (amountMinor <= limit) return undefined;
  return new DomainError(
    DomainErrorCode.ApprovalRequired,
    `A refund of ${amountMinor} ${currency} minor units is above what a ${sender.role ?? sender.kind} decides alone (${limit}): propose it with ${proposeWith} for a second person's approval.`,
    { limitMinor: limit, currency, proposeWith },
  );
}

/**
 * One agent deciding a refund alone, within their limit (four eyes). What one agent decides alone
 * adds up across the cases of a wallet transaction and is held to their limit
 * (soleDecisionRefusal), so a refund above it cannot be split into decisions below it. An approved
 * proposal, a merchant's decision, the clock's and an admin's (who has no limit) are no agent's alone.
 */
export interface SoleDecider {
  /** Null only for a sender the engine cannot name, whom the check refuses rather than lets through. */
  agentId: string | null;
  limitMinor: number;
  /** The event that proposes the same decision for a second person's approval. */
  proposeWith: string;
}

/**
 * Refuses a refund one agent decides alone when, with every refund they decided alone on the same
 * wallet transaction before (on any of its cases, paid or not: a decision counts as taken), it
 * comes to more than their limit (403 APPROVAL_REQUIRED, as for one refund above it). Checked
 * under the transaction's ledger lock, where the other cases' decisions are seen.
 */
export function soleDecisionRefusal(
  decider: SoleDecider,
  decision: { amountMinor: number; currency: string; transactionRef: string },
  alreadyDecidedAloneMinor: number,
): DomainError | undefined {
  if (decider.agentId && alreadyDecidedAloneMinor + decision.amountMinor <= decider.limitMinor) return undefined;
  return new DomainError(
    DomainErrorCode.ApprovalRequired,
    `You already decided ${alreadyDecidedAloneMinor} ${decision.currency} minor units alone on transaction ${decision.transactionRef}; with ${decision.amountMinor} more ` +
      `that is above what you decide alone (${decider.limitMinor}): propose it with ${decider.proposeWith} for a second person's approval.`,
    {
      limitMinor: decider.limitMinor,
      currency: decision.currency,
      proposeWith: decider.proposeWith,
      transactionRef: decision.transactionRef,
      decidedAloneMinor: alreadyDecidedAloneMinor,
    },
  );
}

/**
 * The agent deciding alone by an event that names the proposal standing for it (its catalogue
 * entry's `decidesAlone.proposeWith`, on versions with four eyes), if the sender is an agent with a
 * limit to hold.
 */
export function soleDeciderOf(proposeWith: string | undefined, sender: Authority, currency: string): SoleDecider | undefined {
  if (!proposeWith || sender.kind !== 'agent') return undefined;
  const limitMinor = refundLimitOf(sender, currency);
  if (limitMinor === Number.POSITIVE_INFINITY) return undefined;
  return { agentId: sender.id || null, limitMinor, proposeWith };
}

/**
 * What is left of the sender's refund limit in `currency` on one wallet transaction: their limit
 * less what they already decided alone on it, never below 0 (unlimited stays unlimited). Only an
 * agent's own decisions count against them: a merchant's, the wallet's and the clock's are nobody's.
 */
export function limitLeftOnTransaction(sender: Authority, currency: string, decidedAloneMinor: number): number {
  const limit = refundLimitOf(sender, currency);
  if (sender.kind !== 'agent' || decidedAloneMinor <= 0) return limit;
  return Math.max(0, limit - decidedAloneMinor);
}

/** Refuses a decision that always needs a second person when it is sent directly. */
export function alwaysNeedsApproval(action: string, proposeWith: string): DomainError {
  return new DomainError(DomainErrorCode.ApprovalRequired, `${action} needs a second person's approval: propose it with ${proposeWith}.`, {
    proposeWith,
  });
}

/**
 * Whether the sender may approve the open proposal: not the proposer (403 SELF_APPROVAL), and
 * within their own refund limit when it moves money (403 APPROVAL_LIMIT_EXCEEDED). The role an
 * approver needs is the event's `minimumRole`, checked before this.
 */
export function approverRefusal(proposal: Proposal | null, sender: Authority): DomainError | undefined {
  if (!proposal) return undefined; // the machine refuses the event when nothing is proposed
  // An approver the engine cannot name could be the proposer: refuse rather than assume otherwise.
  if (!sender.id || proposal.proposedBy === sender.id) {
    return new DomainError(DomainErrorCode.SelfApproval, 'A proposal must be approved by someone other than the person who proposed it.', {
      proposedBy: proposal.proposedBy,
    });
  }
  if (proposal.amountMinor > 0 && proposal.currency) {
    const limit = refundLimitOf(sender, proposal.currency);
    if (proposal.amountMinor > limit) {
      return new DomainError(
        DomainErrorCode.ApprovalLimitExceeded,
        `The proposal moves ${proposal.amountMinor} ${proposal.currency} minor units, above what a ${sender.role ?? sender.kind} may approve (${limit}).`,
        { limitMinor: limit, currency: proposal.currency },
      );
    }
  }
  return undefined;
}

/**
 * An appeal is decided by someone else: the agents who made or approved the first decision may
 * not decide, propose or approve the appeal's.
 */
export function appealDeciderRefusal(firstDeciders: readonly string[], appealed: boolean, sender: Authority): DomainError | undefined {
  if (!appealed) return undefined;
  // Someone the engine cannot name could be the first decider: refuse rather than assume otherwise.
  if (sender.id && !firstDeciders.includes(sender.id)) return undefined;
  return new DomainError(DomainErrorCode.AppealNeedsAnotherDecider, 'You made or approved the decision under appeal: the appeal must be decided by someone else.');
}

/** The first refusal among the checks, if any. */
export function firstRefusal(...refusals: Array<DomainError | undefined>): DomainError | undefined {
  return refusals.find((refusal) => refusal !== undefined);
}
