import { assign, setup } from 'xstate';
import { senderIdOf, type Proposal, type Stamped } from '../../approvals';
import type { Money } from '../../money/money';
import { SLA_STOPPED } from '../../sla/sla-tags';
import { effectActions, engineActions } from '../effects';
import { MAX_SETTLEMENT_CHECKS, type CaseWindows } from '../windows';
import type { BalanceCorrection, BalanceDiscrepancyOutcome, CorrectionDirection } from './balance-discrepancy.machine';
import type { BalanceDiscrepancyContextV2, BalanceDiscrepancyEventV2 } from './balance-discrepancy.v2.machine';

/** A balance correction waiting for a second person: what it moves, which way, and who proposed it. */
export interface CorrectionProposal extends Proposal<'balance_correction'> {
  /** The reported difference's currency: a correction is always in it. */
  currency: string;
  /** `credit` gives money to the customer's balance, `debit` takes it. */
  direction: CorrectionDirection;
}

export interface BalanceDiscrepancyContextV3 extends Omit<BalanceDiscrepancyContextV2, 'proposal'> {
  /** The correction waiting for approval (in `awaitingApproval`), else null. */
  proposal: CorrectionProposal | null;
  /** Whether the open proposal waited past its approval deadline (and was escalated). */
  approvalOverdue: boolean;
}

export type BalanceDiscrepancyEventV3 = Stamped<BalanceDiscrepancyEventV2>;

/**
 * The balance-discrepancy lifecycle, version 3: version 2 with four eyes made explicit.
 *
 * A correction always needs a second person, whatever its amount: PROPOSE_CORRECTION moves the
 * case to `awaitingApproval` (version 2's `correctionProposed`) with the proposal (amount,
 * currency, direction, reason and who proposed it; the engine stamps the sender). APPROVE_CORRECTION
 * and REJECT_CORRECTION keep their names, but the catalogue now refuses the proposer
 * (SELF_APPROVAL) and an approver whose own limit does not cover the amount
 * (APPROVAL_LIMIT_EXCEEDED). A proposal waiting past the approval window is escalated (priority
 * up, agents alerted) and keeps waiting.
 *
 * Otherwise as version 2: pending transactions are checked before any correction; a difference
 * "explained by pending" is not closed on someone's word: the engine asks the wallet
 * (`checkPendingTransactions`) whether those transactions really settled, and re-asks after a
 * backoff while they are still open, a bounded number of times, before an agent has to look. A
 * posted correction is confirmed only by the wallet's callback (CORRECTION_POSTED from the
 * system); if it stays unconfirmed past the window, agents are told. There is still no "post
 * again": a second posting could move the money twice (the outbox retries the same one).
 */
export const balanceDiscrepancyMachineV3 = setup({
  types: {} as { context: BalanceDiscrepancyContextV3; events: BalanceDiscrepancyEventV3; input: { reported: Money; reason: string | null; windows: CaseWindows } },
  actions: {
    ...effectActions,
    ...engineActions,
    propose: assign(({ context }, params: BalanceCorrection & { proposedBy: string | null }) => ({
      proposal: {
        action: 'balance_correction' as const,
        amountMinor: params.amountMinor,
        currency: context.reported.currency,
        direction: params.direction,
        reason: params.reason,
        proposedBy: params.proposedBy,
      },
      approvalOverdue: false,
    })),
    resolveAs: assign((_, params: { outcome: BalanceDiscrepancyOutcome; note: string }) => ({ outcome: params.outcome, outcomeNote: params.note })),
  },
  guards: {
    // Read the check's result from the context (stored by PENDING_CHECKED), never from the event.
    explainedByPending: ({ context }) => context.pendingCheck?.explained === true,
    notExplainedByPending: ({ context }) => context.pendingCheck?.explained === false,
    mayCheckSettlementAgain: ({ context }) => context.settlementChecks < MAX_SETTLEMENT_CHECKS,
  },
  delays: {
    pendingRecheckBackoff: ({ context }) => context.windows.pendingRecheckMs,
    walletConfirmationWindow: ({ context }) => context.windows.walletConfirmationMs,
    appealWindow: ({ context }) => context.windows.appealWindowMs,
    approvalWindow: ({ context }) => context.windows.approvalMs,
  },
}).createMachine({
  id: 'balanceDiscrepancy',
  initial: 'open',
  context: ({ input }) => ({
    reported: input.reported,
    reason: input.reason,
    windows: input.windows,
    pendingCheck: null,
    settlementChecks: 0,
    stillOpenRefs: [],
    proposal: null,
    approvedCorrection: null,
    rejectedProposals: 0,
    ledgerEntryRef: null,
    correctionOverdue: false,
    approvalOverdue: false,
    outcome: null,
    outcomeNote: null,
  }),
  states: {
    open: {
      description: 'Reported; an agent starts by checking pending transactions.',
      on: { START_PENDING_CHECK: 'checkingPendingTransactions' },
    },
    checkingPendingTransactions: {
      description: 'Pending (unsettled) transactions are checked before any correction may be proposed.',
      always: [
        { guard: 'explainedByPending', target: 'confirmingSettlement' },
        { guard: 'notExplainedByPending', target: 'correctionNeeded' },
      ],
      on: {
        PENDING_CHECKED: {
          actions: assign(({ event }) => ({
            pendingCheck: { explained: event.explained, pendingTransactionRefs: event.pendingTransactionRefs, note: event.note },
          })),
        },
      },
    },
    confirmingSettlement: {
      description: 'Pending transactions explain the difference; the wallet is asked whether they really settled before the case closes.',
      initial: 'checking',
      states: {
        checking: {
          description: 'The engine asks the wallet for the pending transactions of the account.',
          entry: [
            assign(({ context }) => ({ settlementChecks: context.settlementChecks + 1 })),
            {
              type: 'checkPendingTransactions',
              params: ({ context }) => ({ refs: context.pendingCheck?.pendingTransactionRefs ?? [], attempt: context.settlementChecks }),
            },
          ],
          on: {
            PENDING_SETTLED: {
              target: '#balanceDiscrepancy.resolved',
              actions: [
                assign({ stillOpenRefs: [] }),
                { type: 'resolveAs', params: ({ context }) => ({ outcome: 'explained_by_pending' as const, note: context.pendingCheck!.note }) },
                { type: 'notify', params: { topic: 'balance_discrepancy.explained_by_pending', audience: ['customer'] } },
              ],
            },
            PENDING_STILL_OPEN: { target: 'waitingToRecheck', actions: assign(({ event }) => ({ stillOpenRefs: event.openRefs })) },
          },
        },
        waitingToRecheck: {
          description: 'Still pending at the wallet; asked again after a backoff, a bounded number of times.',
          after: {
            pendingRecheckBackoff: [
              { guard: 'mayCheckSettlementAgain', target: 'checking' },
              { target: 'stillPending', actions: { type: 'notify', params: { topic: 'balance_discrepancy.pending_not_settled', audience: ['agents'], alert: true } } },
            ],
          },
        },
        stillPending: {
          description: 'The pending transactions did not settle after every re-check; an agent decides.',
          on: {
            RECHECK_PENDING: 'checking',
            PROPOSE_CORRECTION: {
              target: '#balanceDiscrepancy.awaitingApproval',
              actions: {
                type: 'propose',
                params: ({ event }) => ({ amountMinor: event.amountMinor, direction: event.direction, reason: event.reason, proposedBy: senderIdOf(event) }),
              },
            },
            RESOLVE_WITHOUT_CORRECTION: {
              target: '#balanceDiscrepancy.resolved',
              actions: { type: 'resolveAs', params: ({ event }) => ({ outcome: 'no_correction' as const, note: event.reason }) },
            },
          },
        },
      },
    },
    correctionNeeded: {
      description: 'Pending transactions do not explain the difference; an agent proposes a correction or finds none is due.',
      on: {
        PROPOSE_CORRECTION: {
          target: 'awaitingApproval',
          actions: {
            type: 'propose',
            params: ({ event }) => ({ amountMinor: event.amountMinor, direction: event.direction, reason: event.reason, proposedBy: senderIdOf(event) }),
          },
        },
        RESOLVE_WITHOUT_CORRECTION: {
          target: 'resolved',
          actions: { type: 'resolveAs', params: ({ event }) => ({ outcome: 'no_correction' as const, note: event.reason }) },
        },
      },
    },
    awaitingApproval: {
      description: 'A correction always waits for a second person: a supervisor other than the proposer approves or rejects it.',
      entry: { type: 'notify', params: { topic: 'balance_discrepancy.approval_requested', audience: ['agents'], alert: true } },
      after: {
        // Still waiting: escalate like overdue SLA work (priority up, supervisors alerted); it keeps waiting.
        approvalWindow: {
          actions: [
            assign({ approvalOverdue: true }),
            'escalate',
            { type: 'notify', params: { topic: 'balance_discrepancy.approval_overdue', audience: ['agents'], alert: true } },
          ],
        },
      },
      on: {
        APPROVE_CORRECTION: {
          target: 'postingCorrection',
          actions: assign(({ context }) => ({
            approvedCorrection: { amountMinor: context.proposal!.amountMinor, direction: context.proposal!.direction, reason: context.proposal!.reason },
            proposal: null,
            approvalOverdue: false,
          })),
        },
        REJECT_CORRECTION: {
          target: 'correctionNeeded',
          actions: assign(({ context }) => ({ proposal: null, approvalOverdue: false, rejectedProposals: context.rejectedProposals + 1 })),
        },
      },
    },
    postingCorrection: {
      description: 'The approved correction is posted by the wallet; only its callback confirms it.',
      entry: {
        type: 'postBalanceCorrection',
        params: ({ context }) => ({
          amountMinor: context.approvedCorrection!.amountMinor,
          currency: context.reported.currency,
          direction: context.approvedCorrection!.direction,
        }),
      },
      initial: 'awaitingWallet',
      states: {
        awaitingWallet: {
          after: {
            walletConfirmationWindow: {
              target: 'confirmationOverdue',
              actions: [
                assign({ correctionOverdue: true }),
                { type: 'notify', params: { topic: 'balance_discrepancy.correction_unconfirmed', audience: ['agents'], alert: true } },
              ],
            },
          },
        },
        confirmationOverdue: {
          description: 'The wallet has not confirmed the posting in time; agents were told. Its callback still resolves the case.',
        },
      },
      on: {
        CORRECTION_POSTED: {
          target: 'resolved',
          actions: [
            assign(({ event }) => ({ ledgerEntryRef: event.ledgerEntryRef })),
            { type: 'resolveAs', params: ({ event }) => ({ outcome: 'corrected' as const, note: event.ledgerEntryRef }) },
            { type: 'notify', params: { topic: 'balance_discrepancy.corrected', audience: ['customer'] } },
          ],
        },
      },
    },
    resolved: {
      tags: [SLA_STOPPED],
      description: 'Explained (and settled), corrected, or found correct. Closes when the window ends.',
      entry: { type: 'notify', params: { topic: 'balance_discrepancy.resolved', audience: ['customer'] } },
      after: { appealWindow: 'closed' },
    },
    closed: { type: 'final' },
  },
});
