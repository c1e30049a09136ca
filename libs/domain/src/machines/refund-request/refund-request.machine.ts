import { SLA_PAUSED, SLA_STOPPED } from '../../sla/sla-tags';
import { assign, setup } from 'xstate';
import type { Money } from '../../money/money';
import { maxRefundableMinor, type RefundPolicy } from '../../policies/refund-policy';
import { effectActions } from '../effects';
import { MAX_AUTOMATIC_REFUND_ATTEMPTS, type CaseWindows } from '../windows';

export type RefundRequestOutcome = 'full_refund' | 'partial_refund' | 'rejected';

export interface RefundRequestDecision {
  outcome: RefundRequestOutcome;
  /** What this decision refunds, in minor units (0 for a rejection). */
  amountMinor: number;
  reason: string;
  /**
   * Where the decision was taken: on the merchant's desk (the merchant, or an agent on the phone
   * for them), in support review, or by a deadline. Who exactly sent it is in the event log.
   */
  decidedAt: 'merchant_response' | 'support_review' | 'deadline';
}

export interface RefundRequestContext {
  amount: Money;
  reason: string | null;
  transactionRef: string | null;
  purchasedAt: string;
  /** When the customer asked (the case's opening instant): the refund window is measured to it. */
  requestedAt: string;
  /** The policy in force when the case opened, copied so the machine stays deterministic. */
  policy: RefundPolicy;
  windows: CaseWindows;
  refundedMinor: number;
  /** The refund in flight (or failed and waiting for a retry). */
  pendingRefundMinor: number;
  refundAttempts: number;
  decision: RefundRequestDecision | null;
  openInfoRequest: { question: string } | null;
}

export interface RefundRequestInput {
  amount: Money;
  reason: string | null;
  transactionRef: string | null;
  purchasedAt: string;
  requestedAt: string;
  policy: RefundPolicy;
  windows: CaseWindows;
}

export type RefundRequestEvent =
  | { type: 'START_REVIEW' }
  | { type: 'WITHDRAW'; reason?: string }
  | { type: 'REQUEST_CUSTOMER_INFO'; question: string }
  | { type: 'CUSTOMER_INFO_PROVIDED'; summary: string }
  | { type: 'APPROVE_FULL_REFUND'; reason: string }
  | { type: 'APPROVE_PARTIAL_REFUND'; amountMinor: number; reason: string }
  | { type: 'REJECT'; reason: string }
  | { type: 'REFUND_SUCCEEDED'; gatewayRefundId: string }
  | { type: 'REFUND_FAILED'; failureReason: string }
  | { type: 'RETRY_REFUND' };

/** What may still be refunded under the case's policy. Shared with the event catalogue's checks. */
export function refundableNow(context: RefundRequestContext): number {
  return maxRefundableMinor(context.policy, {
    amountMinor: context.amount.amountMinor,
    purchasedAt: context.purchasedAt,
    requestedAt: context.requestedAt,
    alreadyRefundedMinor: context.refundedMinor,
  });
}

type DecidedAt = RefundRequestDecision['decidedAt'];

/**
 * The refund-request lifecycle, version 1.
 *
 * The merchant answers first (within the merchant response window); if they stay silent or an
 * agent takes the case over, support reviews it. Unlike a dispute, a silent merchant does not
 * lose automatically: a refund request is decided under the refund policy, and only a person
 * may grant one. Whether a refund fits the policy (window, partial refunds, fee) is checked by
 * the event catalogue before the transition, so an approval outside the policy is a clear
 * REFUND_OUTSIDE_POLICY error rather than a silently ignored event.
 */
export const refundRequestMachineV1 = setup({
  types: {} as { context: RefundRequestContext; events: RefundRequestEvent; input: RefundRequestInput },
  actions: {
    ...effectActions,
    /** Records an approval of everything the policy still allows and queues that refund. */
    approveFullRefund: assign(({ context }, params: { decidedAt: DecidedAt; reason: string }) => {
      const amountMinor = refundableNow(context);
      return {
        decision: { outcome: 'full_refund' as const, amountMinor, reason: params.reason, decidedAt: params.decidedAt },
        pendingRefundMinor: amountMinor,
        refundAttempts: 0,
      };
    }),
    approvePartialRefund: assign((_, params: { decidedAt: DecidedAt; amountMinor: number; reason: string }) => ({
      decision: { outcome: 'partial_refund' as const, amountMinor: params.amountMinor, reason: params.reason, decidedAt: params.decidedAt },
      pendingRefundMinor: params.amountMinor,
      refundAttempts: 0,
    })),
    reject: assign((_, params: { decidedAt: DecidedAt; reason: string }) => ({
      decision: { outcome: 'rejected' as const, amountMinor: 0, reason: params.reason, decidedAt: params.decidedAt },
    })),
  },
  guards: {
    mayRetryAutomatically: ({ context }) => context.refundAttempts < MAX_AUTOMATIC_REFUND_ATTEMPTS,
  },
  delays: {
    merchantResponseWindow: ({ context }) => context.windows.merchantResponseMs,
    infoReplyWindow: ({ context }) => context.windows.infoReplyMs,
    appealWindow: ({ context }) => context.windows.appealWindowMs,
    refundRetryBackoff: ({ context }) => context.windows.refundRetryMs,
  },
}).createMachine({
  id: 'refundRequest',
  initial: 'submitted',
  context: ({ input }) => ({
    amount: input.amount,
    reason: input.reason,
    transactionRef: input.transactionRef,
    purchasedAt: input.purchasedAt,
    requestedAt: input.requestedAt,
    policy: input.policy,
    windows: input.windows,
    refundedMinor: 0,
    pendingRefundMinor: 0,
    refundAttempts: 0,
    decision: null,
    openInfoRequest: null,
  }),
  states: {
    submitted: {
      tags: [SLA_PAUSED],
      description: 'With the merchant, who may approve (fully or partly) or reject before the window closes.',
      entry: { type: 'notify', params: { topic: 'refund_request.submitted', audience: ['merchant'] } },
      after: {
        // A silent merchant hands the decision to support; nobody is refunded by a clock alone.
        merchantResponseWindow: {
          target: 'underReview',
          actions: { type: 'notify', params: { topic: 'refund_request.merchant_silent', audience: ['agents'] } },
        },
      },
      on: {
        START_REVIEW: 'underReview',
        APPROVE_FULL_REFUND: {
          target: 'refunding',
          actions: { type: 'approveFullRefund', params: ({ event }) => ({ decidedAt: 'merchant_response' as const, reason: event.reason }) },
        },
        APPROVE_PARTIAL_REFUND: {
          target: 'refunding',
          actions: {
            type: 'approvePartialRefund',
            params: ({ event }) => ({ decidedAt: 'merchant_response' as const, amountMinor: event.amountMinor, reason: event.reason }),
          },
        },
        REJECT: {
          target: 'resolved',
          actions: { type: 'reject', params: ({ event }) => ({ decidedAt: 'merchant_response' as const, reason: event.reason }) },
        },
        WITHDRAW: 'withdrawn',
      },
    },
    underReview: {
      description: 'Support decides under the refund policy and may ask the customer for more information.',
      initial: 'reviewing',
      on: { WITHDRAW: '#refundRequest.withdrawn' },
      states: {
        reviewing: {
          on: {
            REQUEST_CUSTOMER_INFO: {
              target: 'awaitingCustomerInfo',
              actions: assign(({ event }) => ({ openInfoRequest: { question: event.question } })),
            },
            APPROVE_FULL_REFUND: {
              target: '#refundRequest.refunding',
              actions: { type: 'approveFullRefund', params: ({ event }) => ({ decidedAt: 'support_review' as const, reason: event.reason }) },
            },
            APPROVE_PARTIAL_REFUND: {
              target: '#refundRequest.refunding',
              actions: {
                type: 'approvePartialRefund',
                params: ({ event }) => ({ decidedAt: 'support_review' as const, amountMinor: event.amountMinor, reason: event.reason }),
              },
            },
            REJECT: {
              target: '#refundRequest.resolved',
              actions: { type: 'reject', params: ({ event }) => ({ decidedAt: 'support_review' as const, reason: event.reason }) },
            },
          },
        },
        awaitingCustomerInfo: {
          tags: [SLA_PAUSED],
          entry: { type: 'notify', params: { topic: 'refund_request.info_requested', audience: ['customer'] } },
          exit: assign({ openInfoRequest: null }),
          after: {
            // The customer asked for the money; one who does not answer the question is refused.
            infoReplyWindow: {
              target: '#refundRequest.resolved',
              actions: { type: 'reject', params: { decidedAt: 'deadline', reason: 'customer_did_not_respond' } },
            },
          },
          on: { CUSTOMER_INFO_PROVIDED: 'reviewing' },
        },
      },
    },
    refunding: {
      description: 'The approved refund goes out through the payment gateway; failures are retried.',
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
              target: '#refundRequest.resolved',
              actions: [
                assign(({ context }) => ({ refundedMinor: context.refundedMinor + context.pendingRefundMinor, pendingRefundMinor: 0 })),
                { type: 'notify', params: { topic: 'refund_request.refund_succeeded', audience: ['merchant', 'customer'] } },
              ],
            },
            REFUND_FAILED: 'failed',
          },
        },
        failed: {
          entry: { type: 'notify', params: { topic: 'refund_request.refund_failed', audience: ['agents'] } },
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
      description: 'Decided (and refunded where approved). Closes when the window ends.',
      entry: { type: 'notify', params: { topic: 'refund_request.resolved', audience: ['merchant', 'customer'] } },
      after: { appealWindow: 'closed' },
    },
    closed: { type: 'final' },
    withdrawn: { type: 'final', entry: { type: 'notify', params: { topic: 'refund_request.withdrawn', audience: ['merchant'] } } },
  },
});
