import { SLA_PAUSED, SLA_STOPPED } from '../../sla/sla-tags';
import { assign, setup } from 'xstate';
import { remainingRefundable } from '../../money/money';
import { effectActions } from '../effects';
import { MAX_AUTOMATIC_REFUND_ATTEMPTS } from '../windows';
import type { DecidedBy, DisputeContext, DisputeDecision, DisputeEvent, DisputeInput } from './dispute.machine';

export interface DisputeContextV2 extends DisputeContext {
  /**
   * Whether the open information request reached the customer on at least one channel (a
   * delivery reported CUSTOMER_NOTIFIED). Reset on every new request.
   */
  customerNotified: boolean;
}

export type DisputeEventV2 = DisputeEvent | { type: 'CUSTOMER_NOTIFIED'; channel: string };

const stageOf = (context: DisputeContextV2): DisputeDecision['stage'] => (context.appealed ? 'appeal' : 'first');

/**
 * The dispute lifecycle, version 2: as version 1, except that a customer's silence decides
 * against them only when the information request was actually delivered. Without a delivery
 * (CUSTOMER_NOTIFIED, sent by the notification worker), the window's end hands the case back to
 * an agent (reviewing) and tells the agents the customer could not be reached.
 *
 * Deadlines are `after` transitions with named delays read from the case's windows; the engine
 * turns them into durable deadline rows and BullMQ jobs. Effects (refunds, notifications) are
 * named actions the engine turns into outbox rows. Guards read only the context, never the event
 * payload, so `snapshot.can({ type })` answers "may this happen now" for the API and the UI;
 * payloads are checked by the event catalogue (dispute.events.ts) before the transition.
 */
export const disputeMachineV2 = setup({
  types: {} as { context: DisputeContextV2; events: DisputeEventV2; input: DisputeInput },
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
    customerWasNotified: ({ context }) => context.customerNotified,
    customerNotYetNotified: ({ context }) => !context.customerNotified,
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
    customerNotified: false,
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
          entry: [assign({ customerNotified: false }), { type: 'notify', params: { topic: 'dispute.info_requested', audience: ['customer'] } }],
          exit: assign({ openInfoRequest: null }),
          after: {
            infoReplyWindow: [
              // A customer who was told and does not answer loses the dispute.
              {
                guard: 'customerWasNotified',
                target: '#dispute.resolved',
                actions: { type: 'decideReject', params: { decidedBy: 'deadline', reason: 'customer_did_not_respond' } },
              },
              // Nobody reached the customer: their silence proves nothing, so an agent takes the case back.
              { target: 'reviewing', actions: { type: 'notify', params: { topic: 'dispute.customer_unreachable', audience: ['agents'] } } },
            ],
          },
          on: {
            CUSTOMER_INFO_PROVIDED: 'reviewing',
            CUSTOMER_NOTIFIED: { guard: 'customerNotYetNotified', actions: assign({ customerNotified: true }) },
          },
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
