import { z } from 'zod';
import { reason } from '../shared/payloads';
import { DomainError, DomainErrorCode } from '../../errors';
import { remainingRefundable } from '../../money/money';
import type { CaseMachineDefinition, EventSpec } from '../definition';
import { paymentFailureDefinitionV1 } from './payment-failure.definition';
import { PAYMENT_FAILURE_CAUSES, WALLET_TRANSACTION_STATUSES, paymentFailureMachineV2, type PaymentFailureContextV2 } from './payment-failure.v2.machine';

const AGENTS = ['agent'] as const;
// v1's events that v2 keeps as they are (none of them checks the context).
const v1Events = paymentFailureDefinitionV1.events as unknown as Record<string, EventSpec<PaymentFailureContextV2>>;

const paymentFailureEventsV2: Record<string, EventSpec<PaymentFailureContextV2>> = {
  START_INVESTIGATION: v1Events.START_INVESTIGATION!,
  REQUEST_CUSTOMER_INFO: v1Events.REQUEST_CUSTOMER_INFO!,
  CUSTOMER_INFO_PROVIDED: v1Events.CUSTOMER_INFO_PROVIDED!,
  RECORD_CAUSE: {
    description: 'Record where the payment failed (network, insufficient balance, merchant, risk control, bank); decisions need it',
    payload: z.object({ cause: z.enum(PAYMENT_FAILURE_CAUSES), note: reason.optional() }).strict(),
    sentBy: AGENTS,
    examples: [{ cause: 'bank', note: 'Issuer timed out after debiting' }],
  },
  REVERSE_PAYMENT: {
    description: 'Give money back to the customer: all that is still reversible, or amountMinor of it',
    payload: z.object({ reason, amountMinor: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional() }).strict(),
    sentBy: AGENTS,
    check(context, payload: { amountMinor?: number }) {
      const remaining = remainingRefundable(context.amount, context.refundedMinor);
      if (payload.amountMinor === undefined || payload.amountMinor <= remaining) return undefined;
      return new DomainError(
        DomainErrorCode.RefundExceedsRemaining,
        `A reversal may be at most the ${remaining} ${context.amount.currency} minor units captured and not yet reversed.`,
        { remainingMinor: remaining, currency: context.amount.currency },
      );
    },
    examples: [{ reason: 'Debited but the merchant never received the payment' }, { reason: 'Only the service fee was kept', amountMinor: 10_000 }],
  },
  PAYMENT_COMPLETED: v1Events.PAYMENT_COMPLETED!,
  CLOSE_NO_FUNDS_TAKEN: {
    description: "No money was taken: closed once the wallet's record shows the transaction failed or reversed (or on the agent's reason when there is no transaction)",
    payload: z.object({ reason }).strict(),
    sentBy: AGENTS,
    examples: [{ reason: 'Authorisation was released; no money was taken' }],
  },
  WALLET_TRANSACTION_STATUS: {
    description: "The wallet's status of the transaction (unknown: no such transaction)",
    payload: z.object({ status: z.enum(WALLET_TRANSACTION_STATUSES) }).strict(),
    sentBy: ['system'],
    examples: [{ status: 'failed' }, { status: 'captured' }],
  },
  CLOSE_NO_ACTION: { ...v1Events.CLOSE_NO_ACTION!, description: 'Nothing is owed for another reason (explain it)', examples: [{ reason: 'The customer paid twice by choice' }] },
  ...Object.fromEntries(['REFUND_SUCCEEDED', 'REFUND_FAILED', 'RETRY_REFUND'].map((type) => [type, v1Events[type]!])),
};

export const paymentFailureDefinitionV2: CaseMachineDefinition<PaymentFailureContextV2> = {
  kind: 'payment_failure',
  version: 2,
  machine: paymentFailureMachineV2,
  validateFacts(facts) {
    return paymentFailureDefinitionV1.validateFacts(facts);
  },
  buildInput: paymentFailureDefinitionV1.buildInput,
  events: paymentFailureEventsV2,
  deadlines: paymentFailureDefinitionV1.deadlines,
};
