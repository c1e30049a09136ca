import { assign, setup } from 'xstate';
import type { Money } from '../../money/money';
import { SLA_PAUSED, SLA_STOPPED } from '../../sla/sla-tags';
import { effectActions } from '../effects';
import { MAX_AUTOMATIC_REFUND_ATTEMPTS, type CaseWindows } from '../windows';
import type { PaymentFailureInput } from './payment-failure.machine';

/** Where a payment failed, as the investigating agent finds it. */
export const PAYMENT_FAILURE_CAUSES = ['network', 'insufficient_balance', 'merchant', 'risk_control', 'bank'] as const;
export type PaymentFailureCause = (typeof PAYMENT_FAILURE_CAUSES)[number];

/** What the wallet says of the transaction (`unknown`: it has no such transaction). */
export const WALLET_TRANSACTION_STATUSES = ['pending', 'captured', 'failed', 'reversed', 'unknown'] as const;
export type WalletTransactionStatus = (typeof WALLET_TRANSACTION_STATUSES)[number];

/**
 * How a failed payment ended: money went back (`reversed`, `partially_reversed`), the payment went
 * through after all (`completed`), no money was taken (`no_funds_taken`), or nothing is owed for
 * another reason (`no_action`).
 */
export type PaymentFailureOutcomeV2 = 'reversed' | 'partially_reversed' | 'completed' | 'no_funds_taken' | 'no_action';

export interface PaymentFailureContextV2 {
  /** What was captured from the customer for the failed payment. */
  amount: Money;
  transactionRef: string | null;
  failureReason: string | null;
  windows: CaseWindows;
  cause: PaymentFailureCause | null;
  causeNote: string | null;
  /** The reversal decided (full by default, or part of what is still reversible). */
  reversalAmountMinor: number | null;
  refundedMinor: number;
  refundAttempts: number;
  openInfoRequest: { question: string } | null;
  /** The wallet's status of the transaction at the last check (null until it answers). */
  walletStatus: WalletTransactionStatus | null;
  /** Who established that no money was taken: the wallet's record, or an agent (no transaction to look up). */
  noFundsTakenVerifiedBy: 'wallet' | 'agent' | null;
  /** The agent's reason when closing as no funds taken, kept while the wallet is asked. */
  closingReason: string | null;
  outcome: PaymentFailureOutcomeV2 | null;
  outcomeNote: string | null;
}

export type PaymentFailureEventV2 =
  | { type: 'START_INVESTIGATION' }
  | { type: 'REQUEST_CUSTOMER_INFO'; question: string }
  | { type: 'CUSTOMER_INFO_PROVIDED'; summary: string }
  | { type: 'RECORD_CAUSE'; cause: PaymentFailureCause; note?: string }
  | { type: 'REVERSE_PAYMENT'; reason: string; amountMinor?: number }
  | { type: 'PAYMENT_COMPLETED'; note: string }
  | { type: 'CLOSE_NO_FUNDS_TAKEN'; reason: string }
  | { type: 'WALLET_TRANSACTION_STATUS'; status: WalletTransactionStatus }
  | { type: 'CLOSE_NO_ACTION'; reason: string }
  | { type: 'REFUND_SUCCEEDED'; gatewayRefundId: string }
  | { type: 'REFUND_FAILED'; failureReason: string }
  | { type: 'RETRY_REFUND' };

/**
 * The payment-failure lifecycle, version 2.
 *
 * The investigating agent records where the payment failed (the cause taxonomy) before deciding;
 * the decisions are not offered until a cause is recorded. A reversal may be partial (never more
 * than was captured minus what was already reversed; full by default). A failure where no money
 * was taken closes as `no_funds_taken` only once the wallet's record of the transaction agrees
 * (failed or reversed); when the case names no transaction, the agent's reason stands instead.
 */
export const paymentFailureMachineV2 = setup({
  types: {} as { context: PaymentFailureContextV2; events: PaymentFailureEventV2; input: PaymentFailureInput },
  actions: {
    ...effectActions,
    recordOutcome: assign((_, params: { outcome: PaymentFailureOutcomeV2; note: string }) => ({ outcome: params.outcome, outcomeNote: params.note })),
  },
  guards: {
    causeRecorded: ({ context }) => context.cause !== null,
    // Named, not and([...]), so the statechart in the UI shows what each branch needs.
    causeRecordedAndTransactionKnown: ({ context }) => context.cause !== null && context.transactionRef !== null,
    causeRecordedWithoutTransaction: ({ context }) => context.cause !== null && context.transactionRef === null,
    mayRetryAutomatically: ({ context }) => context.refundAttempts < MAX_AUTOMATIC_REFUND_ATTEMPTS,
    walletShowsNoFundsTaken: ({ context }) => context.walletStatus === 'failed' || context.walletStatus === 'reversed',
    walletShowsFundsMayBeTaken: ({ context }) => context.walletStatus !== null && context.walletStatus !== 'failed' && context.walletStatus !== 'reversed',
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
    cause: null,
    causeNote: null,
    reversalAmountMinor: null,
    refundedMinor: 0,
    refundAttempts: 0,
    openInfoRequest: null,
    walletStatus: null,
    noFundsTakenVerifiedBy: null,
    closingReason: null,
    outcome: null,
    outcomeNote: null,
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
      description: 'An agent traces the payment, records where it failed, and may ask the customer for details.',
      initial: 'tracing',
      on: {
        RECORD_CAUSE: { actions: assign(({ event }) => ({ cause: event.cause, causeNote: event.note ?? null })) },
        REVERSE_PAYMENT: {
          guard: 'causeRecorded',
          target: 'reversing',
          actions: [
            assign(({ context, event }) => ({ reversalAmountMinor: event.amountMinor ?? context.amount.amountMinor - context.refundedMinor })),
            { type: 'recordOutcome', params: ({ event }) => ({ outcome: 'reversed' as const, note: event.reason }) },
          ],
        },
        PAYMENT_COMPLETED: {
          target: 'resolved',
          actions: { type: 'recordOutcome', params: ({ event }) => ({ outcome: 'completed' as const, note: event.note }) },
        },
        CLOSE_NO_FUNDS_TAKEN: [
          {
            guard: 'causeRecordedAndTransactionKnown',
            target: 'verifyingNoFundsTaken',
            actions: assign(({ event }) => ({ closingReason: event.reason })),
          },
          {
            // No transaction to look up: the agent's reason is the record.
            guard: 'causeRecordedWithoutTransaction',
            target: 'resolved',
            actions: [
              assign(({ event }) => ({ closingReason: event.reason, noFundsTakenVerifiedBy: 'agent' as const })),
              { type: 'recordOutcome', params: ({ event }) => ({ outcome: 'no_funds_taken' as const, note: event.reason }) },
            ],
          },
        ],
        CLOSE_NO_ACTION: {
          guard: 'causeRecorded',
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
            infoReplyWindow: {
              target: 'tracing',
              actions: { type: 'notify', params: { topic: 'payment_failure.customer_silent', audience: ['agents'] } },
            },
          },
          on: { CUSTOMER_INFO_PROVIDED: 'tracing' },
        },
      },
    },
    verifyingNoFundsTaken: {
      description: "The wallet's record of the transaction is checked: only failed or reversed means no money was taken.",
      entry: [assign({ walletStatus: null }), { type: 'checkTransactionStatus', params: ({ context }) => ({ transactionRef: context.transactionRef! }) }],
      always: [
        {
          guard: 'walletShowsNoFundsTaken',
          target: 'resolved',
          actions: [
            assign({ noFundsTakenVerifiedBy: 'wallet' as const }),
            { type: 'recordOutcome', params: ({ context }) => ({ outcome: 'no_funds_taken' as const, note: context.closingReason ?? 'no_funds_taken' }) },
          ],
        },
        {
          // The wallet shows the money taken (or still pending): back to the agent.
          guard: 'walletShowsFundsMayBeTaken',
          target: 'investigating',
          actions: { type: 'notify', params: { topic: 'payment_failure.funds_taken', audience: ['agents'], alert: true } },
        },
      ],
      on: {
        WALLET_TRANSACTION_STATUS: { actions: assign(({ event }) => ({ walletStatus: event.status })) },
      },
    },
    reversing: {
      description: 'The decided amount goes back to the customer through the wallet; failures are retried.',
      initial: 'pending',
      states: {
        pending: {
          entry: [
            assign(({ context }) => ({ refundAttempts: context.refundAttempts + 1 })),
            {
              type: 'requestRefund',
              params: ({ context }) => ({
                amountMinor: context.reversalAmountMinor!,
                currency: context.amount.currency,
                attempt: context.refundAttempts,
              }),
            },
          ],
          on: {
            REFUND_SUCCEEDED: {
              target: '#paymentFailure.resolved',
              actions: [
                assign(({ context }) => {
                  const refundedMinor = context.refundedMinor + context.reversalAmountMinor!;
                  return {
                    refundedMinor,
                    outcome: refundedMinor < context.amount.amountMinor ? ('partially_reversed' as const) : ('reversed' as const),
                  };
                }),
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
            RETRY_REFUND: 'pending',
          },
        },
      },
    },
    resolved: {
      tags: [SLA_STOPPED],
      description: 'Reversed (fully or in part), completed, no funds taken, or nothing owed. Closes when the window ends.',
      entry: { type: 'notify', params: { topic: 'payment_failure.resolved', audience: ['customer'] } },
      after: { appealWindow: 'closed' },
    },
    closed: { type: 'final' },
  },
});
