import { SLA_PAUSED, SLA_STOPPED } from '../../sla/sla-tags';
import { assign, setup } from 'xstate';
import type { Money } from '../../money/money';
import { effectActions } from '../effects';
import { MAX_AUTOMATIC_REFUND_ATTEMPTS, type CaseWindows } from '../windows';

/**
 * How a failed payment ended: the debited money went back (`reversed`), the payment went
 * through after all (`completed`), or nothing was owed (`no_action`, e.g. never debited).
 */
export type PaymentFailureOutcome = 'reversed' | 'completed' | 'no_action';

export interface PaymentFailureContext {
  /** What was debited from the customer for the failed payment. */
  amount: Money;
  transactionRef: string | null;
  /** What the customer or the gateway reported, e.g. a failure code. */
  failureReason: string | null;
  windows: CaseWindows;
  outcome: PaymentFailureOutcome | null;
  outcomeNote: string | null;
  refundedMinor: number;
  refundAttempts: number;
  openInfoRequest: { question: string } | null;
}

export interface PaymentFailureInput {
  amount: Money;
  transactionRef: string | null;
  failureReason: string | null;
  windows: CaseWindows;
}

export type PaymentFailureEvent =
  | { type: 'START_INVESTIGATION' }
  | { type: 'REQUEST_CUSTOMER_INFO'; question: string }
  | { type: 'CUSTOMER_INFO_PROVIDED'; summary: string }
  | { type: 'REVERSE_PAYMENT'; reason: string }
  | { type: 'PAYMENT_COMPLETED'; note: string }
  | { type: 'CLOSE_NO_ACTION'; reason: string }
  | { type: 'REFUND_SUCCEEDED'; gatewayRefundId: string }
  | { type: 'REFUND_FAILED'; failureReason: string }
  | { type: 'RETRY_REFUND' };

/**
 * The payment-failure lifecycle, version 1: a customer was debited for a payment that failed.
 *
 * The gateway may settle a payment late, so `PAYMENT_COMPLETED` is accepted until a reversal
 * starts. Once the agent decides to reverse, the whole debited amount goes back through the
 * refund gateway with the same failure/retry pattern as disputes.
 */
export const paymentFailureMachineV1 = setup({
  types: {} as { context: PaymentFailureContext; events: PaymentFailureEvent; input: PaymentFailureInput },
  actions: {
    ...effectActions,
    recordOutcome: assign((_, params: { outcome: PaymentFailureOutcome; note: string }) => ({ outcome: params.outcome, outcomeNote: params.note })),
  },
  guards: {
    mayRetryAutomatically: ({ context }) => context.refundAttempts < MAX_AUTOMATIC_REFUND_ATTEMPTS,
  },
  delays: {
    infoReplyWindow: ({ context }) => context.windows.infoReplyMs,
    appealWindow: ({ context }) => context.windows.appealWindowMs,
    refundRetryBackoff: ({ context }) => context.windows.refundRetryMs,
  },
}).createMachine({
  id: 'paymentFailure',
  initial: 'open',
  context: ({ input }) => ({
    amount: input.amount,
    transactionRef: input.transactionRef,
    failureReason: input.failureReason,
    windows: input.windows,
    outcome: null,
    outcomeNote: null,
    refundedMinor: 0,
    refundAttempts: 0,
    openInfoRequest: null,
  }),
  states: {
    open: {
      description: 'Reported; an agent picks it up. The gateway may still report the payment as completed.',
      on: {
        START_INVESTIGATION: 'investigating',
        PAYMENT_COMPLETED: {
          target: 'resolved',
          actions: { type: 'recordOutcome', params: ({ event }) => ({ outcome: 'completed' as const, note: event.note }) },
        },
      },
    },
    investigating: {
      description: 'An agent traces the payment with the gateway and may ask the customer for details.',
      initial: 'tracing',
      on: {
        REVERSE_PAYMENT: {
          target: 'reversing',
          actions: { type: 'recordOutcome', params: ({ event }) => ({ outcome: 'reversed' as const, note: event.reason }) },
        },
        PAYMENT_COMPLETED: {
          target: 'resolved',
          actions: { type: 'recordOutcome', params: ({ event }) => ({ outcome: 'completed' as const, note: event.note }) },
        },
        CLOSE_NO_ACTION: {
          target: 'resolved',
          actions: { type: 'recordOutcome', params: ({ event }) => ({ outcome: 'no_action' as const, note: event.reason }) },
        },
      },
      states: {
        tracing: {
          on: {
            REQUEST_CUSTOMER_INFO: {
              target: 'awaitingCustomerInfo',
              actions: assign(({ event }) => ({ openInfoRequest: { question: event.question } })),
            },
          },
        },
        awaitingCustomerInfo: {
          tags: [SLA_PAUSED],
          entry: { type: 'notify', params: { topic: 'payment_failure.info_requested', audience: ['customer'] } },
          exit: assign({ openInfoRequest: null }),
          after: {
            // The ledger, not the customer, says whether money was taken: a silent customer does
            // not end the case, the agent carries on with what the gateway shows.
            infoReplyWindow: {
              target: 'tracing',
              actions: { type: 'notify', params: { topic: 'payment_failure.customer_silent', audience: ['agents'] } },
            },
          },
          on: { CUSTOMER_INFO_PROVIDED: 'tracing' },
        },
      },
    },
    reversing: {
      description: 'The debited amount goes back to the customer through the refund gateway; failures are retried.',
      initial: 'pending',
      states: {
        pending: {
          entry: [
            assign(({ context }) => ({ refundAttempts: context.refundAttempts + 1 })),
            {
              type: 'requestRefund',
              params: ({ context }) => ({
                amountMinor: context.amount.amountMinor,
                currency: context.amount.currency,
                attempt: context.refundAttempts,
              }),
            },
          ],
          on: {
            REFUND_SUCCEEDED: {
              target: '#paymentFailure.resolved',
              actions: [
                assign(({ context }) => ({ refundedMinor: context.amount.amountMinor })),
                { type: 'notify', params: { topic: 'payment_failure.reversed', audience: ['customer'] } },
              ],
            },
            REFUND_FAILED: 'failed',
          },
        },
        failed: {
          entry: { type: 'notify', params: { topic: 'payment_failure.reversal_failed', audience: ['agents'] } },
          after: {
            refundRetryBackoff: { target: 'pending', guard: 'mayRetryAutomatically' },
          },
          on: {
            // An agent may retry at any time, also after the automatic attempts ran out.
            RETRY_REFUND: 'pending',
          },
        },
      },
    },
    resolved: {
      tags: [SLA_STOPPED],
      description: 'Reversed, completed or nothing owed. Closes when the window ends.',
      entry: { type: 'notify', params: { topic: 'payment_failure.resolved', audience: ['customer'] } },
      after: { appealWindow: 'closed' },
    },
    closed: { type: 'final' },
  },
});
