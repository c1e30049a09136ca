import { z } from 'zod';
import type { CaseMachineDefinition, EventSpec } from '../definition';
import { approvalEvents } from '../shared/approval.events';
import { paymentFailureDefinitionV2 } from './payment-failure.v2.definition';
import { paymentFailureMachineV3, type PaymentFailureContextV3 } from './payment-failure.v3.machine';

const v2Events = paymentFailureDefinitionV2.events as Record<string, EventSpec<PaymentFailureContextV3>>;
const reversePayment = v2Events.REVERSE_PAYMENT!;

/** What a reversal with this payload gives back: its amount, or all that is still reversible. */
const reversalAmount = (context: PaymentFailureContextV3, payload: { amountMinor?: number }) => payload.amountMinor ?? context.amount.amountMinor - context.refundedMinor;

/**
 * Version 3 takes version 2's catalogue and adds four eyes: a reversal within the sender's refund
 * limit is decided alone; above it, APPROVAL_REQUIRED names PROPOSE_REVERSAL, which takes the same
 * payload and passes the same checks, for a second person's approval.
 */
export const paymentFailureDefinitionV3: CaseMachineDefinition<PaymentFailureContextV3> = {
  ...paymentFailureDefinitionV2,
  version: 3,
  machine: paymentFailureMachineV3,
  recordsSender: true,
  approvalStates: ['awaitingApproval'],
  events: {
    ...v2Events,
    REVERSE_PAYMENT: {
      ...reversePayment,
      // Without a payload the amount is open (all that is reversible, or a part of it): a partial
      // reversal within the limit stays the agent's own decision.
      decidesAlone: { proposeWith: 'PROPOSE_REVERSAL', amountMinor: (context, payload?: { amountMinor?: number }) => (payload ? reversalAmount(context, payload) : undefined) },
    },
    PROPOSE_REVERSAL: {
      description: "Propose giving money back to the customer (all that is still reversible, or amountMinor of it), for a second person's approval",
      payload: reversePayment.payload as z.ZodType<{ reason: string; amountMinor?: number }>,
      sentBy: ['agent'],
      check: reversePayment.check,
      examples: reversePayment.examples,
    },
    ...approvalEvents<PaymentFailureContextV3>(),
  },
  deadlines: {
    ...paymentFailureDefinitionV2.deadlines,
    approvalWindow: { label: 'Approval due' },
  },
};
