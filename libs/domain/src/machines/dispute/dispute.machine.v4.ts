import { SLA_PAUSED, SLA_STOPPED } from '../../sla/sla-tags';
import { assign, setup } from 'xstate';
import { senderIdOf, type StampedSender } from '../../approvals';
import { remainingRefundable } from '../../money/money';
import { effectActions, engineActions } from '../effects';
import { MAX_AUTOMATIC_REFUND_ATTEMPTS } from '../windows';
import { disputeCounterpartyOf } from '../../disputes/evidence-requirements';
import type { DecidedBy, DisputeDecision, DisputeInput } from './dispute.machine';
import type { DisputeContextV3, DisputeEventV3, DisputeProposalAction } from './dispute.machine.v3';

export type DisputeContextV4 = DisputeContextV3;

export type DisputeEventV4 = DisputeEventV3 | { type: 'INVESTIGATE'; by?: StampedSender };

const stageOf = (context: DisputeContextV4): DisputeDecision['stage'] => (context.appealed ? 'appeal' : 'first');

/** The agents a decision counts against (the decider, or proposer and approver), for the appeal rule. */
function decidersAfter(context: DisputeContextV4, deciders: ReadonlyArray<string | null>): Partial<DisputeContextV4> {
  if (context.appealed) return {};
  return { firstDeciders: deciders.filter((id): id is string => id !== null) };
}

/**
 * The dispute lifecycle, version 4: version 3 with disputes against another wallet user.
 *
 * A `peer_transfer` dispute (a transfer to the wrong person, a scam) has no merchant: it is never
 * forwarded and no merchant is asked for information. An agent takes it straight into
 * investigation (INVESTIGATE), with no merchant window; the decisions, four eyes, refunds and
 * appeal are version 3's. Disputes with a merchant run exactly as in version 3.
 */
export const disputeMachineV4 = setup({
  types: {} as { context: DisputeContextV4; events: DisputeEventV4; input: DisputeInput },
  actions: {
    ...effectActions,
    ...engineActions,
    /** Records a decision that refunds everything still owed and queues that refund. */
    decideFullRefund: assign(({ context }, params: { decidedBy: DecidedBy; reason: string; deciders: ReadonlyArray<string | null> }) => {
      const amountMinor = remainingRefundable(context.amount, context.refundedMinor);
      return {
        decisions: [...context.decisions, { outcome: 'full_refund' as const, amountMinor, reason: params.reason, stage: stageOf(context), decidedBy: params.decidedBy }],
        pendingRefundMinor: amountMinor,
        refundAttempts: 0,
        ...decidersAfter(context, params.deciders),
      };
    }),
    decidePartialRefund: assign(({ context }, params: { amountMinor: number; reason: string; deciders: ReadonlyArray<string | null> }) => ({
      decisions: [
        ...context.decisions,
        { outcome: 'partial_refund' as const, amountMinor: params.amountMinor, reason: params.reason, stage: stageOf(context), decidedBy: 'agent' as const },
      ],
      pendingRefundMinor: params.amountMinor,
      refundAttempts: 0,
      ...decidersAfter(context, params.deciders),
    })),
    decideReject: assign(({ context }, params: { decidedBy: DecidedBy; reason: string; deciders: ReadonlyArray<string | null> }) => ({
      decisions: [...context.decisions, { outcome: 'rejected' as const, amountMinor: 0, reason: params.reason, stage: stageOf(context), decidedBy: params.decidedBy }],
      ...decidersAfter(context, params.deciders),
    })),
    propose: assign(({ context }, params: { action: DisputeProposalAction; amountMinor: number; reason: string; proposedBy: string | null }) => ({
      proposal: { ...params, currency: context.amount.currency, stage: stageOf(context) },
      approvalOverdue: false,
    })),
    clearProposal: assign({ proposal: null, approvalOverdue: false }),
  },
  guards: {
    somethingLeftToRefund: ({ context }) => remainingRefundable(context.amount, context.refundedMinor) > 0,
    notYetAppealed: ({ context }) => !context.appealed,
    mayRetryAutomatically: ({ context }) => context.refundAttempts < MAX_AUTOMATIC_REFUND_ATTEMPTS,
    customerWasNotified: ({ context }) => context.customerNotified,
    customerNotYetNotified: ({ context }) => !context.customerNotified,
    proposedMerchantAccept: ({ context }) => context.proposal?.action === 'merchant_accept',
    proposedFullRefund: ({ context }) => context.proposal?.action === 'full_refund',
    proposedAtAppeal: ({ context }) => context.proposal?.stage === 'appeal',
    withMerchant: ({ context }) => disputeCounterpartyOf(context.reason) === 'merchant',
    withWalletUser: ({ context }) => disputeCounterpartyOf(context.reason) === 'wallet_user',
  },
  delays: {
    merchantResponseWindow: ({ context }) => context.windows.merchantResponseMs,
    infoReplyWindow: ({ context }) => context.windows.infoReplyMs,
    appealWindow: ({ context }) => context.windows.appealWindowMs,
    refundRetryBackoff: ({ context }) => context.windows.refundRetryMs,
    approvalWindow: ({ context }) => context.windows.approvalMs,
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
    proposal: null,
    approvalOverdue: false,
    firstDeciders: [],
  }),
  states: {
    open: {
      description: 'Opened from a channel; an agent checks it before the merchant is asked (or, against another wallet user, investigates it).',
      on: {
        FORWARD_TO_MERCHANT: { target: 'awaitingMerchant', guard: 'withMerchant' },
        // Nobody to forward to: the agent investigates, asking the customer where needed.
        INVESTIGATE: { target: 'investigation', guard: 'withWalletUser' },
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
          actions: { type: 'decideFullRefund', params: { decidedBy: 'deadline', reason: 'merchant_did_not_respond', deciders: [] } },
        },
      },
      on: {
        MERCHANT_ACCEPT: {
          target: 'refunding',
          actions: [assign({ merchantResponse: 'accepted' }), { type: 'decideFullRefund', params: { decidedBy: 'merchant', reason: 'merchant_accepted', deciders: [] } }],
        },
        // The merchant said so on the phone: an agent records it with the reason, a second person approves.
        PROPOSE_MERCHANT_ACCEPT: {
          target: 'awaitingApproval',
          actions: {
            type: 'propose',
            params: ({ context, event }) => ({
              action: 'merchant_accept' as const,
              amountMinor: remainingRefundable(context.amount, context.refundedMinor),
              reason: event.reason,
              proposedBy: senderIdOf(event),
            }),
          },
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
              guard: 'withMerchant',
              actions: assign(({ event }) => ({ openInfoRequest: { from: 'merchant' as const, question: event.question } })),
            },
            DECIDE_FULL_REFUND: {
              target: '#dispute.refunding',
              guard: 'somethingLeftToRefund',
              actions: { type: 'decideFullRefund', params: ({ event }) => ({ decidedBy: 'agent' as const, reason: event.reason, deciders: [senderIdOf(event)] }) },
            },
            DECIDE_PARTIAL_REFUND: {
              target: '#dispute.refunding',
              guard: 'somethingLeftToRefund',
              actions: { type: 'decidePartialRefund', params: ({ event }) => ({ amountMinor: event.amountMinor, reason: event.reason, deciders: [senderIdOf(event)] }) },
            },
            DECIDE_REJECT: {
              target: '#dispute.resolved',
              actions: { type: 'decideReject', params: ({ event }) => ({ decidedBy: 'agent' as const, reason: event.reason, deciders: [senderIdOf(event)] }) },
            },
            PROPOSE_FULL_REFUND: {
              target: '#dispute.awaitingApproval',
              guard: 'somethingLeftToRefund',
              actions: {
                type: 'propose',
                params: ({ context, event }) => ({
                  action: 'full_refund' as const,
                  amountMinor: remainingRefundable(context.amount, context.refundedMinor),
                  reason: event.reason,
                  proposedBy: senderIdOf(event),
                }),
              },
            },
            PROPOSE_PARTIAL_REFUND: {
              target: '#dispute.awaitingApproval',
              guard: 'somethingLeftToRefund',
              actions: {
                type: 'propose',
                params: ({ event }) => ({ action: 'partial_refund' as const, amountMinor: event.amountMinor, reason: event.reason, proposedBy: senderIdOf(event) }),
              },
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
                actions: { type: 'decideReject', params: { decidedBy: 'deadline', reason: 'customer_did_not_respond', deciders: [] } },
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
            infoReplyWindow: {
              target: '#dispute.refunding',
              actions: { type: 'decideFullRefund', params: { decidedBy: 'deadline', reason: 'merchant_did_not_respond', deciders: [] } },
            },
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
    awaitingApproval: {
      description: 'A decision that moves money waits for a second person: a supervisor other than the proposer approves or rejects it.',
      entry: { type: 'notify', params: { topic: 'dispute.approval_requested', audience: ['agents'], alert: true } },
      after: {
        // Still waiting: escalate like overdue SLA work (priority up, supervisors alerted); it keeps waiting.
        approvalWindow: {
          actions: [assign({ approvalOverdue: true }), 'escalate', { type: 'notify', params: { topic: 'dispute.approval_overdue', audience: ['agents'], alert: true } }],
        },
      },
      on: {
        APPROVE_PROPOSAL: [
          {
            guard: 'proposedMerchantAccept',
            target: 'refunding',
            actions: [
              assign({ merchantResponse: 'accepted' }),
              {
                type: 'decideFullRefund',
                params: ({ context, event }) => ({ decidedBy: 'merchant' as const, reason: context.proposal!.reason, deciders: [context.proposal!.proposedBy, senderIdOf(event)] }),
              },
              'clearProposal',
            ],
          },
          {
            guard: 'proposedFullRefund',
            target: 'refunding',
            actions: [
              {
                type: 'decideFullRefund',
                params: ({ context, event }) => ({ decidedBy: 'agent' as const, reason: context.proposal!.reason, deciders: [context.proposal!.proposedBy, senderIdOf(event)] }),
              },
              'clearProposal',
            ],
          },
          {
            target: 'refunding',
            actions: [
              {
                type: 'decidePartialRefund',
                params: ({ context, event }) => ({
                  amountMinor: context.proposal!.amountMinor,
                  reason: context.proposal!.reason,
                  deciders: [context.proposal!.proposedBy, senderIdOf(event)],
                }),
              },
              'clearProposal',
            ],
          },
        ],
        REJECT_PROPOSAL: [
          { guard: 'proposedAtAppeal', target: 'appealReview', actions: 'clearProposal' },
          { target: 'investigation.reviewing', actions: 'clearProposal' },
        ],
      },
    },
    refunding: {
      description: 'The decided refund goes out through the wallet; failures are retried.',
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
      description: 'Second-stage review (like pre-arbitration) by someone other than the first decider. Its decision is final.',
      on: {
        DECIDE_FULL_REFUND: {
          target: 'refunding',
          guard: 'somethingLeftToRefund',
          actions: { type: 'decideFullRefund', params: ({ event }) => ({ decidedBy: 'agent' as const, reason: event.reason, deciders: [senderIdOf(event)] }) },
        },
        DECIDE_PARTIAL_REFUND: {
          target: 'refunding',
          guard: 'somethingLeftToRefund',
          actions: { type: 'decidePartialRefund', params: ({ event }) => ({ amountMinor: event.amountMinor, reason: event.reason, deciders: [senderIdOf(event)] }) },
        },
        DECIDE_REJECT: {
          target: 'resolved',
          actions: { type: 'decideReject', params: ({ event }) => ({ decidedBy: 'agent' as const, reason: event.reason, deciders: [senderIdOf(event)] }) },
        },
        PROPOSE_FULL_REFUND: {
          target: 'awaitingApproval',
          guard: 'somethingLeftToRefund',
          actions: {
            type: 'propose',
            params: ({ context, event }) => ({
              action: 'full_refund' as const,
              amountMinor: remainingRefundable(context.amount, context.refundedMinor),
              reason: event.reason,
              proposedBy: senderIdOf(event),
            }),
          },
        },
        PROPOSE_PARTIAL_REFUND: {
          target: 'awaitingApproval',
          guard: 'somethingLeftToRefund',
          actions: {
            type: 'propose',
            params: ({ event }) => ({ action: 'partial_refund' as const, amountMinor: event.amountMinor, reason: event.reason, proposedBy: senderIdOf(event) }),
          },
        },
      },
    },
    closed: { type: 'final', entry: { type: 'notify', params: { topic: 'dispute.closed', audience: ['merchant', 'customer'] } } },
    withdrawn: { type: 'final', entry: { type: 'notify', params: { topic: 'dispute.withdrawn', audience: ['merchant'] } } },
  },
});
