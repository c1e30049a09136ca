import { assign, setup } from 'xstate';
import type { Money } from '../../money/money';
import { SLA_STOPPED } from '../../sla/sla-tags';
import { effectActions } from '../effects';
import { MAX_SETTLEMENT_CHECKS, type CaseWindows } from '../windows';
import type { BalanceCorrection, BalanceDiscrepancyOutcome, PendingCheckResult } from './balance-discrepancy.machine';

export interface BalanceDiscrepancyContextV2 {
  /** The difference the customer reported; its currency is the currency of any correction. */
  reported: Money;
  reason: string | null;
  windows: CaseWindows;
  pendingCheck: PendingCheckResult | null;
  /** How often the wallet was asked whether the pending transactions settled. */
  settlementChecks: number;
  /** What the wallet said at the last check: the references not settled yet. */
  stillOpenRefs: string[];
  proposal: BalanceCorrection | null;
  /** Set once a supervisor approved the proposal; it is what the wallet posts. */
  approvedCorrection: BalanceCorrection | null;
  rejectedProposals: number;
  /** The wallet's ledger entry of the posted correction (from its callback). */
  ledgerEntryRef: string | null;
  /** The correction stayed unconfirmed past the window; agents were told. */
  correctionOverdue: boolean;
  outcome: BalanceDiscrepancyOutcome | null;
  outcomeNote: string | null;
}

export type BalanceDiscrepancyEventV2 =
  | { type: 'START_PENDING_CHECK' }
  | ({ type: 'PENDING_CHECKED' } & PendingCheckResult)
  | { type: 'PENDING_SETTLED'; settledRefs: string[] }
  | { type: 'PENDING_STILL_OPEN'; openRefs: string[] }
  | { type: 'RECHECK_PENDING' }
  | ({ type: 'PROPOSE_CORRECTION' } & BalanceCorrection)
  | { type: 'APPROVE_CORRECTION' }
  | { type: 'REJECT_CORRECTION'; reason: string }
  | { type: 'RESOLVE_WITHOUT_CORRECTION'; reason: string }
  | { type: 'CORRECTION_POSTED'; ledgerEntryRef: string };

/**
 * The balance-discrepancy lifecycle, version 2.
 *
 * As in v1, pending transactions are checked before any correction. New: a difference "explained
 * by pending" is not closed on someone's word; the engine asks the wallet
 * (`checkPendingTransactions`) whether those transactions really settled, and re-asks after a
 * backoff while they are still open, a bounded number of times, before an agent has to look. A
 * posted correction is confirmed only by the wallet's callback (CORRECTION_POSTED from the
 * system); if it stays unconfirmed past the window, agents are told. There is still no "post
 * again": a second posting could move the money twice (the outbox retries the same one).
 */
export const balanceDiscrepancyMachineV2 = setup({
  types: {} as { context: BalanceDiscrepancyContextV2; events: BalanceDiscrepancyEventV2; input: { reported: Money; reason: string | null; windows: CaseWindows } },
  actions: {
    ...effectActions,
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
              target: '#balanceDiscrepancy.correctionProposed',
              actions: assign(({ event }) => ({ proposal: { amountMinor: event.amountMinor, direction: event.direction, reason: event.reason } })),
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
          target: 'correctionProposed',
          actions: assign(({ event }) => ({ proposal: { amountMinor: event.amountMinor, direction: event.direction, reason: event.reason } })),
        },
        RESOLVE_WITHOUT_CORRECTION: {
          target: 'resolved',
          actions: { type: 'resolveAs', params: ({ event }) => ({ outcome: 'no_correction' as const, note: event.reason }) },
        },
      },
    },
    correctionProposed: {
      description: 'Waiting for a supervisor to approve or reject the proposed correction.',
      entry: { type: 'notify', params: { topic: 'balance_discrepancy.correction_proposed', audience: ['agents'] } },
      on: {
        APPROVE_CORRECTION: {
          target: 'postingCorrection',
          actions: assign(({ context }) => ({ approvedCorrection: context.proposal })),
        },
        REJECT_CORRECTION: {
          target: 'correctionNeeded',
          actions: assign(({ context }) => ({ proposal: null, rejectedProposals: context.rejectedProposals + 1 })),
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
