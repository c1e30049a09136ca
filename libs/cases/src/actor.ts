import type { ActorKind, AgentRole, EventSender, RefundLimits } from '@app/domain';

/** Who is acting: recorded on every timeline row and checked against each event's senders. */
export interface Actor {
  kind: ActorKind;
  /** Agent id, merchant id, `clock` or `wallet` for the system. */
  id: string | null;
  role?: AgentRole;
  /** Agents: their email, for the admin audit log (readable after the account is gone). */
  label?: string;
}

export const CLOCK: Actor = { kind: 'system', id: 'clock' };
/** The wallet's answers: refund results and account-action confirmations, by response, callback or look-up. */
export const WALLET: Actor = { kind: 'system', id: 'wallet' };

/** The actor as the machines see a sender: kind, role and id, with the configured refund limits. */
export function senderOf(actor: Actor, refundLimits?: RefundLimits): EventSender {
  return { kind: actor.kind, role: actor.role, id: actor.id, refundLimits };
}

/** The agent's id, for what is kept per agent (the decisions they took alone); null for any other actor. */
export function agentIdOf(actor: Actor): string | null {
  return actor.kind === 'agent' ? actor.id : null;
}
