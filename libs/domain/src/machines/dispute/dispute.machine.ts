import { SLA_PAUSED, SLA_STOPPED } from '../../sla/sla-tags';
import { assign, setup } from 'xstate';
import type { DisputeReason } from '../../cases/case-kind';
import type { Money } from '../../money/money';
import { remainingRefundable } from '../../money/money';
import { effectActions } from '../effects';
import { MAX_AUTOMATIC_REFUND_ATTEMPTS, type CaseWindows } from '../windows';

export type DisputeOutcome = 'full_refund' | 'partial_refund' | 'rejected';
export type DecidedBy = 'agent' | 'merchant' | 'deadline';

export interface DisputeDecision {
  outcome: DisputeOutcome;
  /** What this decision refunds, in minor units (0 for a rejection). */
  amountMinor: number;
  reason: string;
  stage: 'first' | 'appeal';
  decidedBy: DecidedBy;
}

export interface DisputeContext {
  amount: Money;
  reason: DisputeReason;
  windows: CaseWindows;
  refundedMinor: number;
  /** The refund in flight (or failed and waiting for a retry). */
  pendingRefundMinor: number;
  refundAttempts: number;
  decisions: DisputeDecision[];
  merchantResponse: 'accepted' | 'contested' | null;
  evidenceSubmissions: number;
  appealed: boolean;
  openInfoRequest: { from: 'customer' | 'merchant'; question: string } | null;
}

export interface DisputeInput {
  amount: Money;
  reason: DisputeReason;
  windows: CaseWindows;
}

export type DisputeEvent =
  | { type: 'FORWARD_TO_MERCHANT' }
  | { type: 'WITHDRAW'; reason?: string }
  | { type: 'MERCHANT_ACCEPT' }
  | { type: 'MERCHANT_CONTEST'; summary: string }
  | { type: 'REQUEST_CUSTOMER_INFO'; question: string }
  | { type: 'REQUEST_MERCHANT_INFO'; question: string }
  | { type: 'CUSTOMER_INFO_PROVIDED'; summary: string }
  | { type: 'MERCHANT_INFO_PROVIDED'; summary: string }
  | { type: 'DECIDE_FULL_REFUND'; reason: string }
  | { type: 'DECIDE_PARTIAL_REFUND'; amountMinor: number; reason: string }
  | { type: 'DECIDE_REJECT'; reason: string }
  | { type: 'REFUND_SUCCEEDED'; gatewayRefundId: string }
  | { type: 'REFUND_FAILED'; failureReason: string }
  | { type: 'RETRY_REFUND' }
  | { type: 'APPEAL'; reason: string };

const stageOf = (context: DisputeContext): DisputeDecision['stage'] => (context.appealed ? 'appeal' : 'first');

/**
 * The dispute lifecycle, version 1.
 *
 * Deadlines are `after` transitions with named delays read from the case's windows; the engine
 * turns them into durable deadline rows and BullMQ jobs. Effects (refunds, notifications) are
 * named actions the engine turns into outbox rows. Guards read only the context, never the event
 * payload, so `snapshot.can({ type })` answers "may this happen now" for the API and the UI;
 * payloads are checked by the event catalogue (dispute.events.ts) before the transition.
 */
export const disputeMachineV1 = setup({
  types: {} as { context: DisputeContext; events: DisputeEvent; input: DisputeInput },
  actions: {
    ...effectActions,
    /** Records a decision that refunds everything still owed and queues that refund. */
    decideFullRefund: assign(({ context }, params: { decidedBy: DecidedBy; reason: string }) => {
      const amountMinor = remainingRefundable(context.amount, context.refundedMinor);
      return {
        decisions: [...context.decisions, { outcome: 'full_refund' as const, amountMinor, reason: params.reason, stage: stageOf(context), decidedBy: params.decidedBy }],
        pendingRefundMinor: amountMinor,
        refundAttempts: 0,
      };
    }),
    decidePartialRefund: assign(({ context }, params: { amountMinor: number; reason: string }) => ({
      decisions: [
        ...context.decisions,
        { outcome: 'partial_refund' as const, amountMinor: params.amountMinor, reason: params.reason, stage: stageOf(context), decidedBy: 'agent' as const },
      ],
      pendingRefundMinor: params.amountMinor,
      refundAttempts: 0,
    })),
    decideReject: assign(({ context }, params: { decidedBy: DecidedBy; reason: string }) => ({
      decisions: [...context.decisions, { outcome: 'rejected' as const, amountMinor: 0, reason: params.reason, stage: stageOf(context), decidedBy: params.decidedBy }],
    })),
  },
  guards: {
    somethingLeftToRefund: ({ context }) => remainingRefundable(context.amount, context.refundedMinor) > 0,
    notYetAppealed: ({ context }) => !context.appealed,
    mayRetryAutomatically: ({ context }) => context.refundAttempts < MAX_AUTOMATIC_REFUND_ATTEMPTS,
  },
  delays: {
    merchantResponseWindow: ({ context }) => context.windows.merchantResponseMs,
    infoReplyWindow: ({ context }) => context.windows.infoReplyMs,
    appealWindow: ({ context }) => context.windows.appealWindowMs,
    refundRetryBackoff: ({ context }) => context.windows.refundRetryMs,
  },
}).createMachine({
  id: 'dispute',
  initial: 'open',
  context: ({ input }) => ({
    amount: input.amount,
    reason: input.reason,
    windows: input.windows,
    refundedMinor: 0,
    pendingRefundMinor: 0,
    refundAttempts: 0,
    decisions: [],
    merchantResponse: null,
    evidenceSubmissions: 0,
    appealed: false,
    openInfoRequest: null,
  }),
  states: {
    open: {
      description: 'Opened from a channel; an agent checks it before the merchant is asked.',
      on: {
        FORWARD_TO_MERCHANT: 'awaitingMerchant',
        WITHDRAW: 'withdrawn',
      },
    },
    awaitingMerchant: {
      tags: [SLA_PAUSED],
      description: 'The merchant may accept (refund) or contest with evidence before the window closes.',
      entry: { type: 'notify', params: { topic: 'dispute.awaiting_merchant', audience: ['merchant'] } },
      after: {
        merchantResponseWindow: {
          target: 'refunding',
          // A merchant who stays silent loses the dispute.
          actions: { type: 'decideFullRefund', params: { decidedBy: 'deadline', reason: 'merchant_did_not_respond' } },
        },
      },
      on: {
        MERCHANT_ACCEPT: {
          target: 'refunding',
          actions: [assign({ merchantResponse: 'accepted' }), { type: 'decideFullRefund', params: { decidedBy: 'merchant', reason: 'merchant_accepted' } }],
        },
        MERCHANT_CONTEST: {
          target: 'investigation',
          actions: assign(({ context }) => ({
            merchantResponse: 'contested' as const,
            evidenceSubmissions: context.evidenceSubmissions + 1,
          })),
        },
        WITHDRAW: 'withdrawn',
      },
    },
    investigation: {
      description: 'An agent weighs both sides and may ask either for more information.',
      initial: 'reviewing',
      on: {
        WITHDRAW: '#dispute.withdrawn',
      },
      states: {
        reviewing: {
          on: {
            REQUEST_CUSTOMER_INFO: {
              target: 'awaitingCustomerInfo',
              actions: assign(({ event }) => ({ openInfoRequest: { from: 'customer' as const, question: event.question } })),
            },
            REQUEST_MERCHANT_INFO: {
              target: 'awaitingMerchantInfo',
              actions: assign(({ event }) => ({ openInfoRequest: { from: 'merchant' as const, question: event.question } })),
            },
            DECIDE_FULL_REFUND: {
              target: '#dispute.refunding',
              guard: 'somethingLeftToRefund',
              actions: { type: 'decideFullRefund', params: ({ event }) => ({ decidedBy: 'agent' as const, reason: event.reason }) },
            },
            DECIDE_PARTIAL_REFUND: {
              target: '#dispute.refunding',
              guard: 'somethingLeftToRefund',
              actions: { type: 'decidePartialRefund', params: ({ event }) => ({ amountMinor: event.amountMinor, reason: event.reason }) },
            },
            DECIDE_REJECT: {
              target: '#dispute.resolved',
              actions: { type: 'decideReject', params: ({ event }) => ({ decidedBy: 'agent' as const, reason: event.reason }) },
            },
          },
        },
        awaitingCustomerInfo: {
          tags: [SLA_PAUSED],
          entry: { type: 'notify', params: { topic: 'dispute.info_requested', audience: ['customer'] } },
          exit: assign({ openInfoRequest: null }),
          after: {
            // A customer who does not answer loses the dispute.
            infoReplyWindow: { target: '#dispute.resolved', actions: { type: 'decideReject', params: { decidedBy: 'deadline', reason: 'customer_did_not_respond' } } },
          },
          on: { CUSTOMER_INFO_PROVIDED: 'reviewing' },
        },
        awaitingMerchantInfo: {
          tags: [SLA_PAUSED],
          entry: { type: 'notify', params: { topic: 'dispute.info_requested', audience: ['merchant'] } },
          exit: assign({ openInfoRequest: null }),
          after: {
            // A merchant who does not answer loses the dispute.
            infoReplyWindow: { target: '#dispute.refunding', actions: { type: 'decideFullRefund', params: { decidedBy: 'deadline', reason: 'merchant_did_not_respond' } } },
          },
          on: {
            MERCHANT_INFO_PROVIDED: {
              target: 'reviewing',
              actions: assign(({ context }) => ({ evidenceSubmissions: context.evidenceSubmissions + 1 })),
            },
          },
        },
      },
    },
    refunding: {
      description: 'The decided refund goes out through the payment gateway; failures are retried.',
      initial: 'pending',
      states: {
        pending: {
          entry: [
            assign(({ context }) => ({ refundAttempts: context.refundAttempts + 1 })),
            {
              type: 'requestRefund',
              params: ({ context }) => ({
                amountMinor: context.pendingRefundMinor,
                currency: context.amount.currency,
                attempt: context.refundAttempts,
              }),
            },
          ],
          on: {
            REFUND_SUCCEEDED: {
              target: '#dispute.resolved',
              actions: [
                assign(({ context }) => ({
                  refundedMinor: context.refundedMinor + context.pendingRefundMinor,
                  pendingRefundMinor: 0,
                })),
                { type: 'notify', params: { topic: 'dispute.refund_succeeded', audience: ['merchant', 'customer'] } },
              ],
            },
            REFUND_FAILED: 'failed',
          },
        },
        failed: {
          entry: { type: 'notify', params: { topic: 'dispute.refund_failed', audience: ['agents'] } },
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
      description: 'Decided (and refunded where due). Either side may appeal once before the window closes.',
      entry: { type: 'notify', params: { topic: 'dispute.resolved', audience: ['merchant', 'customer'] } },
      after: { appealWindow: 'closed' },
      on: {
        APPEAL: { target: 'appealReview', guard: 'notYetAppealed', actions: assign({ appealed: true }) },
      },
    },
    appealReview: {
      description: 'Second-stage review (like pre-arbitration). Its decision is final.',
      on: {
        DECIDE_FULL_REFUND: {
          target: 'refunding',
          guard: 'somethingLeftToRefund',
          actions: { type: 'decideFullRefund', params: ({ event }) => ({ decidedBy: 'agent' as const, reason: event.reason }) },
        },
        DECIDE_PARTIAL_REFUND: {
          target: 'refunding',
          guard: 'somethingLeftToRefund',
          actions: { type: 'decidePartialRefund', params: ({ event }) => ({ amountMinor: event.amountMinor, reason: event.reason }) },
        },
        DECIDE_REJECT: { target: 'resolved', actions: { type: 'decideReject', params: ({ event }) => ({ decidedBy: 'agent' as const, reason: event.reason }) } },
      },
    },
    closed: { type: 'final', entry: { type: 'notify', params: { topic: 'dispute.closed', audience: ['merchant', 'customer'] } } },
    withdrawn: { type: 'final', entry: { type: 'notify', params: { topic: 'dispute.withdrawn', audience: ['merchant'] } } },
  },
});
