import { z } from 'zod';
import { alwaysNeedsApproval, appealDeciderRefusal } from '../../approvals';
import { remainingRefundable } from '../../money/money';
import type { EventSender } from '../../engine/event-sender';
import type { CaseMachineDefinition, EventSpec } from '../definition';
import { approvalEvents } from '../shared/approval.events';
import { reason } from '../shared/payloads';
import { partialRefundBelowRemaining } from '../shared/refund-execution.events';
import { disputeDefinitionV2 } from './dispute.definition.v2';
import { disputeMachineV3, type DisputeContextV3 } from './dispute.machine.v3';

const v2Events = disputeDefinitionV2.events as Record<string, EventSpec<DisputeContextV3>>;

const appealRule = (context: DisputeContextV3, sender: EventSender) => appealDeciderRefusal(context.firstDeciders, context.appealed, sender);

const remaining = (context: DisputeContextV3) => remainingRefundable(context.amount, context.refundedMinor);

/**
 * Version 3 takes version 2's catalogue and adds four eyes: refund decisions within the sender's
 * limit, proposals for a second person's approval above it, an agent's acceptance on the merchant's
 * behalf only as a proposal with its reason, and appeals decided by someone new.
 */
export const disputeDefinitionV3: CaseMachineDefinition<DisputeContextV3> = {
  ...disputeDefinitionV2,
  version: 3,
  machine: disputeMachineV3,
  recordsSender: true,
  approvalStates: ['awaitingApproval'],
  events: {
    ...v2Events,
    MERCHANT_ACCEPT: {
      ...v2Events.MERCHANT_ACCEPT!,
      // An agent who heard the merchant accept proposes it with the reason, for a second person's approval.
      authorise: (_context, sender) => (sender.kind === 'agent' ? alwaysNeedsApproval('Accepting a dispute for the merchant', 'PROPOSE_MERCHANT_ACCEPT') : undefined),
    },
    DECIDE_FULL_REFUND: {
      ...v2Events.DECIDE_FULL_REFUND!,
      // Above the sender's limit, proposed instead; an appeal's decider must be someone new.
      decidesAlone: { proposeWith: 'PROPOSE_FULL_REFUND', amountMinor: remaining },
      authorise: appealRule,
    },
    DECIDE_PARTIAL_REFUND: {
      ...v2Events.DECIDE_PARTIAL_REFUND!,
      decidesAlone: { proposeWith: 'PROPOSE_PARTIAL_REFUND', amountMinor: (_context, payload?: { amountMinor: number }) => payload?.amountMinor },
      authorise: appealRule,
    },
    DECIDE_REJECT: { ...v2Events.DECIDE_REJECT!, authorise: appealRule },
    PROPOSE_FULL_REFUND: {
      description: "Propose refunding everything still owed, for a second person's approval",
      payload: z.object({ reason }).strict(),
      sentBy: ['agent'],
      authorise: appealRule,
      examples: [{ reason: 'No proof of delivery' }],
    },
    PROPOSE_PARTIAL_REFUND: {
      description: "Propose a partial refund, for a second person's approval",
      payload: z.object({ amountMinor: z.number().int().positive(), reason }).strict(),
      sentBy: ['agent'],
      authorise: appealRule,
      check: (context, payload: { amountMinor: number }) => partialRefundBelowRemaining(context, payload.amountMinor, 'PROPOSE_FULL_REFUND'),
      examples: [{ amountMinor: 1000, reason: 'One of two items missing' }],
    },
    PROPOSE_MERCHANT_ACCEPT: {
      description: "Record that the merchant accepted (say where and how), for a second person's approval; the refund follows",
      payload: z.object({ reason }).strict(),
      sentBy: ['agent'],
      examples: [{ reason: 'The merchant accepted on the phone (call of 3 May, 14:10)' }],
    },
    ...approvalEvents<DisputeContextV3>((context, sender) => (context.proposal?.stage === 'appeal' ? appealRule(context, sender) : undefined)),
  },
  deadlines: {
    ...disputeDefinitionV2.deadlines,
    approvalWindow: { label: 'Approval due' },
  },
};
