import { z } from 'zod';
import { customerInfoEvents, none, reason } from '../shared/payloads';
import { DomainError, DomainErrorCode } from '../../errors';
import { refundExecutionEvents } from '../shared/refund-execution.events';
import type { CaseMachineDefinition, EventSpec } from '../definition';
import { paymentFailureMachineV1, type PaymentFailureContext, type PaymentFailureInput } from './payment-failure.machine';

const AGENTS = ['agent'] as const;

const paymentFailureEvents: Record<string, EventSpec<PaymentFailureContext>> = {
  START_INVESTIGATION: { description: 'An agent starts tracing the payment', payload: none, sentBy: AGENTS, examples: [{}] },
  ...customerInfoEvents({
    description: 'Ask the customer for details (time, screenshot of the error, bank statement)',
    question: 'Please send a screenshot of the error message',
    summary: 'Screenshot uploaded',
  }),
  REVERSE_PAYMENT: {
    description: 'Give the debited amount back to the customer',
    payload: z.object({ reason }).strict(),
    sentBy: AGENTS,
    examples: [{ reason: 'Debited but the merchant never received the payment' }],
  },
  PAYMENT_COMPLETED: {
    description: 'The payment went through after all (reported by the gateway or found by an agent)',
    payload: z.object({ note: reason }).strict(),
    sentBy: ['agent', 'system'],
    examples: [{ note: 'Gateway settled the payment late' }],
  },
  CLOSE_NO_ACTION: {
    description: 'Nothing is owed (e.g. the customer was never debited)',
    payload: z.object({ reason }).strict(),
    sentBy: AGENTS,
    examples: [{ reason: 'Authorisation was released; no money was taken' }],
  },
  ...refundExecutionEvents('reversal'),
};

export const paymentFailureDefinitionV1: CaseMachineDefinition<PaymentFailureContext> = {
  kind: 'payment_failure',
  version: 1,
  machine: paymentFailureMachineV1,
  validateFacts(facts) {
    if (!facts.amount || facts.amount.amountMinor <= 0) {
      return new DomainError(DomainErrorCode.ValidationFailed, 'A payment failure needs the debited amount.', {
        fields: [{ path: 'amount', message: 'required and greater than zero for a payment failure' }],
      });
    }
    return undefined;
  },
  buildInput(facts, windows): PaymentFailureInput {
    return { amount: facts.amount!, transactionRef: facts.transactionRef, failureReason: facts.reason, windows };
  },
  events: paymentFailureEvents,
  deadlines: {
    infoReplyWindow: { label: 'Reply to information request due' },
    appealWindow: { label: 'Case closes' },
    refundRetryBackoff: { label: 'Automatic reversal retry' },
  },
};
