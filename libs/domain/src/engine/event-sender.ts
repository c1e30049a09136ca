import type { RefundLimits } from '../approvals/approval-rules';
import type { ActorKind, AgentRole } from '../cases/case-kind';

/** Who sends an event to a case: checked against the catalogue's senders, roles and approval rules. */
export interface EventSender {
  kind: ActorKind;
  /** Set for agents. */
  role?: AgentRole;
  /** Agent id, merchant id, `clock`/`wallet` for the system: machines with approval states record it. */
  id?: string | null;
  /** Configured refund limits per role (libs/domain approvals); the defaults when absent. */
  refundLimits?: RefundLimits;
}
