import { z } from 'zod';
import { approverRefusal, firstRefusal, type Proposal } from '../../approvals';
import type { EventSender } from '../../engine/event-sender';
import type { DomainError } from '../../errors';
import type { EventSpec } from '../definition';
import { reason } from './payloads';

interface WithProposal {
  proposal: Proposal | null;
}

/**
 * Approving or rejecting an open proposal, shared by every machine with an awaiting-approval
 * state: a supervisor or admin, never the proposer (SELF_APPROVAL), within their own refund limit
 * (APPROVAL_LIMIT_EXCEEDED). `alsoRefuse` adds a kind's own rule (an appeal's first decider).
 */
export function approvalEvents<TContext extends WithProposal>(
  alsoRefuse?: (context: TContext, sender: EventSender) => DomainError | undefined,
): Record<'APPROVE_PROPOSAL' | 'REJECT_PROPOSAL', EventSpec<TContext>> {
  return {
    APPROVE_PROPOSAL: {
      description: 'Approve the proposed decision (a second person: not the proposer)',
      payload: z.object({ note: reason.optional() }).strict(),
      sentBy: ['agent'],
      minimumRole: 'supervisor',
      authorise: (context, sender) => firstRefusal(approverRefusal(context.proposal, sender), alsoRefuse?.(context, sender)),
      examples: [{}, { note: 'Checked the courier record' }],
    },
    REJECT_PROPOSAL: {
      description: 'Reject the proposed decision; the case goes back to where it was proposed',
      payload: z.object({ reason }).strict(),
      sentBy: ['agent'],
      minimumRole: 'supervisor',
      examples: [{ reason: 'The evidence does not support a full refund' }],
    },
  };
}
