import type { ActorKind, AgentRole, EventSender } from '@app/domain';

/** Who is acting: recorded on every timeline row and checked against each event's senders. */
export interface Actor {
  kind: ActorKind;
  /** Agent id, merchant id, `clock` or `refund-gateway` for the system. */
  id: string | null;
  role?: AgentRole;
}

export const CLOCK: Actor = { kind: 'system', id: 'clock' };
export const REFUND_GATEWAY: Actor = { kind: 'system', id: 'refund-gateway' };

export function senderOf(actor: Actor): EventSender {
  return { kind: actor.kind, role: actor.role };
}
