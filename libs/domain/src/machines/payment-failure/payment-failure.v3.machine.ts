import { assign, setup } from 'xstate';
import { senderIdOf, type Proposal, type Stamped } from '../../approvals';
import { SLA_PAUSED, SLA_STOPPED } from '../../sla/sla-tags';
import { effectActions, engineActions } from '../effects';
import { MAX_AUTOMATIC_REFUND_ATTEMPTS } from '../windows';
import type { PaymentFailureInput } from './payment-failure.machine';
import type { PaymentFailureContextV2, PaymentFailureEventV2, PaymentFailureOutcomeV2 } from './payment-failure.v2.machine';

/** A reversal proposed for a second person's approval: `amountMinor` is what would go back. */
export type ReversalProposal = Proposal<'reversal'>;

export interface PaymentFailureContextV3 extends PaymentFailureContextV2 {
  /** The reversal waiting for approval (in `awaitingApproval`), else null. */
  proposal: ReversalProposal | null;
  /** Whether the open proposal waited past its approval deadline (and was escalated). */
  approvalOverdue: boolean;
}

export type PaymentFailureEventV3 = Stamped<
  | PaymentFailureEventV2
  | { type: 'PROPOSE_REVERSAL'; reason: string; amountMinor?: number }
  | { type: 'APPROVE_PROPOSAL'; note?: string }
  | { type: 'REJECT_PROPOSAL'; reason: string }
>;

/**
 * The payment-failure lifecycle, version 3: version 2 with four eyes on money (maker–checker).
 *
 * A reversal above the sender's refund limit (per role and currency, configured; the amount
 * reversed, all that is still reversible by default) is refused with APPROVAL_REQUIRED (the event
 * catalogue's `decidesAlone`); the agent proposes it instead (PROPOSE_REVERSAL, the same payload), which
 * moves the case to `awaitingApproval` with the amount. A supervisor other than the proposer,
 * whose own limit covers it, approves (the reversal goes out exactly as REVERSE_PAYMENT sends it)
 * or rejects (back to the investigation). A proposal waiting past the approval window is escalated.
 *
 * Otherwise as version 2: the investigating agent records where the payment failed (the cause taxonomy) before deciding;
 * the decisions are not offered until a cause is recorded. A reversal may be partial (never more
 * than was captured minus what was already reversed; full by default). A failure where no money
 * was taken closes as `no_funds_taken` only once the wallet's record of the transaction agrees
 * (failed or reversed); when the case names no transaction, the agent's reason stands instead.
 */
export const paymentFailureMachineV3 = setup({
  types: {} as { context: PaymentFailureContextV3; events: PaymentFailureEventV3; input: PaymentFailureInput },
  actions: {
    ...effectActions,
    ...engineActions,
    recordOutcome: assign((_, params: { outcome: PaymentFailureOutcomeV2; note: string }) => ({ outcome: params.outcome, outcomeNote: params.note })),
    /** Decides the reversal: `amountMinor` of what is still reversible, or all of it. */
    decideReversal: assign(({ context }, params: { amountMinor: number | undefined; reason: string }) => ({
      reversalAmountMinor: params.amountMinor ?? context.amount.amountMinor - context.refundedMinor,
      outcome: 'reversed' as const,
      outcomeNote: params.reason,
    })),
    clearProposal: assign({ proposal: null, approvalOverdue: false }),
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
    approvalWindow: ({ context }) => context.windows.approvalMs,
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
    proposal: null,
    approvalOverdue: false,
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
          actions: { type: 'decideReversal', params: ({ event }) => ({ amountMinor: event.amountMinor, reason: event.reason }) },
        },
        // Above the sender's limit: the same reversal, for a second person's approval.
        PROPOSE_REVERSAL: {
          guard: 'causeRecorded',
          target: 'awaitingApproval',
          actions: assign(({ context, event }) => ({
            proposal: {
              action: 'reversal' as const,
              amountMinor: event.amountMinor ?? context.amount.amountMinor - context.refundedMinor,
              currency: context.amount.currency,
              reason: event.reason,
              proposedBy: senderIdOf(event),
            },
            approvalOverdue: false,
          })),
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
    awaitingApproval: {
      description: "A reversal above the proposer's limit waits for a second person: a supervisor other than the proposer approves or rejects it.",
      entry: { type: 'notify', params: { topic: 'payment_failure.approval_requested', audience: ['agents'], alert: true } },
      after: {
        // Still waiting: escalate like overdue SLA work (priority up, supervisors alerted); it keeps waiting.
        approvalWindow: {
          actions: [assign({ approvalOverdue: true }), 'escalate', { type: 'notify', params: { topic: 'payment_failure.approval_overdue', audience: ['agents'], alert: true } }],
        },
      },
      on: {
        APPROVE_PROPOSAL: {
          target: 'reversing',
          actions: [{ type: 'decideReversal', params: ({ context }) => ({ amountMinor: context.proposal!.amountMinor, reason: context.proposal!.reason }) }, 'clearProposal'],
        },
        // Back to the investigation (tracing): a question to the customer was closed when the case left it, as a reversal closes it.
        REJECT_PROPOSAL: { target: 'investigating', actions: 'clearProposal' },
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
