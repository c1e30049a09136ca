import type { ActorKind, AgentRole, EventSender } from '@app/domain';

/** Who is acting: recorded on every timeline row and checked against each event's senders. */
export interface Actor {
  kind: ActorKind;
  /** Agent id, merchant id, `clock` or `wallet` for the system. */
  id: string | null;
  role?: AgentRole;
}

export const CLOCK: Actor = { kind: 'system', id: 'clock' };
/** The wallet's answers: refund results and account-action confirmations, by response, callback or look-up. */
export const WALLET: Actor = { kind: 'system', id: 'wallet' };

export function senderOf(actor: Actor): EventSender {
  return { kind: actor.kind, role: actor.role };
}
