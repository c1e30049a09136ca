import { SLA_STOPPED } from '../../sla/sla-tags';
import { assign, setup } from 'xstate';
import type { Money } from '../../money/money';
import { effectActions } from '../effects';
import type { CaseWindows } from '../windows';

export type CorrectionDirection = 'credit' | 'debit';
export type BalanceDiscrepancyOutcome = 'explained_by_pending' | 'corrected' | 'no_correction';

export interface PendingCheckResult {
  /** Whether transactions still pending (not yet settled) account for the difference. */
  explained: boolean;
  pendingTransactionRefs: string[];
  note: string;
}

export interface BalanceCorrection {
  amountMinor: number;
  /** `credit` gives money to the customer's balance, `debit` takes it. */
  direction: CorrectionDirection;
  reason: string;
}

export interface BalanceDiscrepancyContext {
  /** The difference the customer reported; its currency is the currency of any correction. */
  reported: Money;
  reason: string | null;
  windows: CaseWindows;
  pendingCheck: PendingCheckResult | null;
  proposal: BalanceCorrection | null;
  /** Set once a supervisor approved the proposal; it is what the ledger posts. */
  approvedCorrection: BalanceCorrection | null;
  rejectedProposals: number;
  outcome: BalanceDiscrepancyOutcome | null;
  outcomeNote: string | null;
}

export interface BalanceDiscrepancyInput {
  reported: Money;
  reason: string | null;
  windows: CaseWindows;
}

export type BalanceDiscrepancyEvent =
  | { type: 'START_PENDING_CHECK' }
  | ({ type: 'PENDING_CHECKED' } & PendingCheckResult)
  | ({ type: 'PROPOSE_CORRECTION' } & BalanceCorrection)
  | { type: 'APPROVE_CORRECTION' }
  | { type: 'REJECT_CORRECTION'; reason: string }
  | { type: 'RESOLVE_WITHOUT_CORRECTION'; reason: string }
  | { type: 'CORRECTION_POSTED'; ledgerEntryRef: string };

/**
 * The balance-discrepancy lifecycle, version 1: the customer says their balance is wrong.
 *
 * Most "missing money" is a transaction still pending, so the pending transactions are checked
 * BEFORE anything else: no correction event exists until the check has a result. A correction
 * moves real money, so an agent proposes it and a supervisor approves it (the event catalogue
 * requires the supervisor role) before the ledger posting goes out through the outbox.
 *
 * There is no failure branch after the posting: the ledger posting is an internal call the
 * outbox retries until it succeeds, idempotently by outbox id. A manual "post again" would risk
 * posting the correction twice.
 */
export const balanceDiscrepancyMachineV1 = setup({
  types: {} as { context: BalanceDiscrepancyContext; events: BalanceDiscrepancyEvent; input: BalanceDiscrepancyInput },
  actions: {
    ...effectActions,
    resolveAs: assign((_, params: { outcome: BalanceDiscrepancyOutcome; note: string }) => ({ outcome: params.outcome, outcomeNote: params.note })),
  },
  guards: {
    // Read the check's result from the context (stored by PENDING_CHECKED), never from the event.
    explainedByPending: ({ context }) => context.pendingCheck?.explained === true,
    notExplainedByPending: ({ context }) => context.pendingCheck?.explained === false,
  },
  delays: {
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
    proposal: null,
    approvedCorrection: null,
    rejectedProposals: 0,
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
      // The result is stored, then the eventless transitions below route on it at once, so the
      // case never rests here with a result.
      always: [
        {
          guard: 'explainedByPending',
          target: 'resolved',
          actions: [
            { type: 'resolveAs', params: ({ context }) => ({ outcome: 'explained_by_pending' as const, note: context.pendingCheck!.note }) },
            { type: 'notify', params: { topic: 'balance_discrepancy.explained_by_pending', audience: ['customer'] } },
          ],
        },
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
      description: 'The approved correction is posted to the ledger; the ledger confirms it.',
      entry: {
        type: 'postBalanceCorrection',
        params: ({ context }) => ({
          amountMinor: context.approvedCorrection!.amountMinor,
          currency: context.reported.currency,
          direction: context.approvedCorrection!.direction,
        }),
      },
      on: {
        CORRECTION_POSTED: {
          target: 'resolved',
          actions: [
            { type: 'resolveAs', params: ({ event }) => ({ outcome: 'corrected' as const, note: event.ledgerEntryRef }) },
            { type: 'notify', params: { topic: 'balance_discrepancy.corrected', audience: ['customer'] } },
          ],
        },
      },
    },
    resolved: {
      tags: [SLA_STOPPED],
      description: 'Explained, corrected, or found correct. Closes when the window ends.',
      entry: { type: 'notify', params: { topic: 'balance_discrepancy.resolved', audience: ['customer'] } },
      after: { appealWindow: 'closed' },
    },
    closed: { type: 'final' },
  },
});
