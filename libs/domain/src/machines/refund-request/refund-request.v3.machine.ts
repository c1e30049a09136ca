import { SLA_PAUSED, SLA_STOPPED } from '../../sla/sla-tags';
import { assign, setup } from 'xstate';
import { senderIdOf, type Stamped } from '../../approvals';
import { effectActions, engineActions } from '../effects';
import { MAX_AUTOMATIC_REFUND_ATTEMPTS } from '../windows';
import { refundableNow, type RefundRequestDecision, type RefundRequestInput } from './refund-request.machine';
import type { RefundRequestContextV2, RefundRequestEventV2, RefundRequestProposalAction, RefundRequestProposalStage } from './refund-request.v2.machine';

/** The customer's contest of a merchant's rejection: support reviews the request again. */
export interface RefundRequestContest {
  reason: string;
  /** The merchant's rejection that was contested. */
  rejectedReason: string;
}

export interface RefundRequestContextV3 extends RefundRequestContextV2 {
  /** Set once the customer contested the merchant's rejection (at most once per case). */
  contest: RefundRequestContest | null;
}

export type RefundRequestEventV3 = RefundRequestEventV2 | Stamped<{ type: 'APPEAL'; reason: string }>;

type DecidedAt = RefundRequestDecision['decidedAt'];

/**
 * The refund-request lifecycle, version 3: version 2, and a merchant's rejection is no longer final.
 * The customer may contest it once (APPEAL, within the appeal window); the request then goes to
 * support review, where an agent decides under the same policy and limits as before. A rejection
 * by support (or by the clock) stays final, as in version 2. The policy in the context is the
 * merchant's refund policy when one is set (else the global one), copied when the case opened.
 *
 * Version 2's notes: four eyes on money (maker–checker).
 *
 * An agent's refund approval above their limit (per role and currency, configured) is refused with
 * APPROVAL_REQUIRED (the event catalogue's `decidesAlone`); the agent proposes it instead (PROPOSE_*), on the
 * merchant's desk (deciding for the merchant) or in support review. The case then waits in
 * `awaitingApproval` with the proposed amount (a full refund: what the policy still allows). A
 * supervisor other than the proposer, whose own limit covers it, approves (the refund goes out,
 * recorded as decided where it was proposed) or rejects (support reviews it). A proposal waiting
 * past the approval window is escalated. Merchants refund their own money and have no limit.
 *
 * The engine stamps every event with its sender (`by`), which is how the machine knows the
 * proposer. The refund policy is checked by the catalogue for proposals as for approvals.
 */
export const refundRequestMachineV3 = setup({
  types: {} as { context: RefundRequestContextV3; events: RefundRequestEventV3; input: RefundRequestInput },
  actions: {
    ...effectActions,
    ...engineActions,
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
    propose: assign(
      ({ context }, params: { action: RefundRequestProposalAction; amountMinor: number; reason: string; proposedBy: string | null; stage: RefundRequestProposalStage }) => ({
        proposal: { ...params, currency: context.amount.currency },
        approvalOverdue: false,
      }),
    ),
    clearProposal: assign({ proposal: null, approvalOverdue: false }),
  },
  guards: {
    mayRetryAutomatically: ({ context }) => context.refundAttempts < MAX_AUTOMATIC_REFUND_ATTEMPTS,
    proposedFullRefund: ({ context }) => context.proposal?.action === 'full_refund',
    /** Only the merchant's own rejection may be contested, and only once. */
    merchantRejected: ({ context }) => context.contest === null && context.decision?.outcome === 'rejected' && context.decision.decidedAt === 'merchant_response',
  },
  delays: {
    merchantResponseWindow: ({ context }) => context.windows.merchantResponseMs,
    infoReplyWindow: ({ context }) => context.windows.infoReplyMs,
    appealWindow: ({ context }) => context.windows.appealWindowMs,
    refundRetryBackoff: ({ context }) => context.windows.refundRetryMs,
    approvalWindow: ({ context }) => context.windows.approvalMs,
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
    proposal: null,
    approvalOverdue: false,
    contest: null,
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
        // An agent deciding for the merchant (on the phone) above their limit proposes instead.
        PROPOSE_FULL_REFUND: {
          target: 'awaitingApproval',
          actions: {
            type: 'propose',
            params: ({ context, event }) => ({
              action: 'full_refund' as const,
              amountMinor: refundableNow(context),
              reason: event.reason,
              proposedBy: senderIdOf(event),
              stage: 'merchant_response' as const,
            }),
          },
        },
        PROPOSE_PARTIAL_REFUND: {
          target: 'awaitingApproval',
          actions: {
            type: 'propose',
            params: ({ event }) => ({
              action: 'partial_refund' as const,
              amountMinor: event.amountMinor,
              reason: event.reason,
              proposedBy: senderIdOf(event),
              stage: 'merchant_response' as const,
            }),
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
            PROPOSE_FULL_REFUND: {
              target: '#refundRequest.awaitingApproval',
              actions: {
                type: 'propose',
                params: ({ context, event }) => ({
                  action: 'full_refund' as const,
                  amountMinor: refundableNow(context),
                  reason: event.reason,
                  proposedBy: senderIdOf(event),
                  stage: 'support_review' as const,
                }),
              },
            },
            PROPOSE_PARTIAL_REFUND: {
              target: '#refundRequest.awaitingApproval',
              actions: {
                type: 'propose',
                params: ({ event }) => ({
                  action: 'partial_refund' as const,
                  amountMinor: event.amountMinor,
                  reason: event.reason,
                  proposedBy: senderIdOf(event),
                  stage: 'support_review' as const,
                }),
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
    awaitingApproval: {
      description: 'A refund above the limit of the agent who proposed it waits for a second person: a supervisor other than the proposer approves or rejects it.',
      entry: { type: 'notify', params: { topic: 'refund_request.approval_requested', audience: ['agents'], alert: true } },
      after: {
        // Still waiting: escalate like overdue SLA work (priority up, supervisors alerted); it keeps waiting.
        approvalWindow: {
          actions: [assign({ approvalOverdue: true }), 'escalate', { type: 'notify', params: { topic: 'refund_request.approval_overdue', audience: ['agents'], alert: true } }],
        },
      },
      on: {
        APPROVE_PROPOSAL: [
          {
            guard: 'proposedFullRefund',
            target: 'refunding',
            actions: [{ type: 'approveFullRefund', params: ({ context }) => ({ decidedAt: context.proposal!.stage, reason: context.proposal!.reason }) }, 'clearProposal'],
          },
          {
            target: 'refunding',
            actions: [
              {
                type: 'approvePartialRefund',
                params: ({ context }) => ({ decidedAt: context.proposal!.stage, amountMinor: context.proposal!.amountMinor, reason: context.proposal!.reason }),
              },
              'clearProposal',
            ],
          },
        ],
        // Rejected, also when proposed on the merchant's desk: support reviews it (the merchant's window is over).
        REJECT_PROPOSAL: { target: 'underReview.reviewing', actions: 'clearProposal' },
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
      on: {
        // The customer contests the merchant's "no": an agent looks at it (the merchant hears of it).
        APPEAL: {
          guard: 'merchantRejected',
          target: 'underReview.reviewing',
          actions: [
            assign(({ context, event }) => ({ contest: { reason: event.reason, rejectedReason: context.decision!.reason }, decision: null })),
            { type: 'notify', params: { topic: 'refund_request.rejection_contested', audience: ['merchant', 'agents'] } },
          ],
        },
      },
    },
    closed: { type: 'final' },
    withdrawn: { type: 'final', entry: { type: 'notify', params: { topic: 'refund_request.withdrawn', audience: ['merchant'] } } },
  },
});
