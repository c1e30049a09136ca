import type { CaseKind } from '../cases/case-kind';
import type { OpenCaseFacts } from '../machines/definition';

/**
 * Facts a case of each kind can open with, for tests. A `Record` over every kind, so adding a
 * case kind does not compile until it has sample facts (and so takes part in the graph tests).
 */
export const SAMPLE_FACTS: Record<CaseKind, OpenCaseFacts> = {
  dispute: {
    amount: { amountMinor: 10_000, currency: 'CNY' },
    reason: 'not_received',
    transactionRef: 'tx_dispute_1',
    purchasedAt: '2025-03-01T08:00:00.000Z',
    openedAt: '2025-03-10T08:00:00.000Z',
  },
  refund_request: {
    amount: { amountMinor: 10_000, currency: 'CNY' },
    reason: 'changed_mind',
    transactionRef: 'tx_refund_1',
    purchasedAt: '2025-03-01T08:00:00.000Z',
    openedAt: '2025-03-10T08:00:00.000Z',
  },
  payment_failure: {
    amount: { amountMinor: 25_000, currency: 'CNY' },
    reason: 'debited_but_failed',
    transactionRef: 'tx_payment_1',
    purchasedAt: null,
    openedAt: '2025-03-10T08:00:00.000Z',
  },
  balance_discrepancy: {
    amount: { amountMinor: 500, currency: 'CNY' },
    reason: 'balance_too_low',
    transactionRef: null,
    purchasedAt: null,
    openedAt: '2025-03-10T08:00:00.000Z',
  },
  account_security: {
    amount: null,
    reason: 'suspicious_login',
    transactionRef: null,
    purchasedAt: null,
    openedAt: '2025-03-10T08:00:00.000Z',
  },
  inquiry: {
    amount: null,
    reason: 'withdrawal_time',
    transactionRef: null,
    purchasedAt: null,
    openedAt: '2025-03-10T08:00:00.000Z',
  },
};

/**
 * Further openings of a kind whose machine branches on its opening facts (a forgotten password
 * instead of a stolen account, a payment failure without a transaction): the graph tests explore
 * from each of them too, so every branch is reached.
 */
export const MORE_SAMPLE_FACTS: Partial<Record<CaseKind, OpenCaseFacts[]>> = {
  // A dispute with another wallet user takes its own path from v4 on (investigated, never forwarded).
  dispute: [{ ...SAMPLE_FACTS.dispute, reason: 'peer_transfer' }],
  account_security: [{ ...SAMPLE_FACTS.account_security, reason: 'cannot_log_in', securityReport: 'forgotten_password' }],
  payment_failure: [{ ...SAMPLE_FACTS.payment_failure, transactionRef: null }],
};
