import type { CaseKind } from '@app/domain';

/** A case's status as the customer is told it: a handful of plain steps, not the machine's states. */
export const CUSTOMER_STATUSES = [
  'received',
  'waiting_for_merchant',
  'waiting_for_you',
  'in_review',
  'appeal_in_review',
  'refund_in_progress',
  'answered',
  'resolved',
  'closed',
  'withdrawn',
] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

/** Statuses in which the case is still undecided: the customer may add evidence. */
export const UNDECIDED_STATUSES: readonly CustomerStatus[] = ['received', 'waiting_for_merchant', 'waiting_for_you', 'in_review', 'appeal_in_review'];

/**
 * Each machine state (dotted path as stored on the case, or its first segment for every state
 * inside it) → what the customer is told. A spec checks that every state of every live machine
 * version is listed, so a new state cannot silently fall back.
 */
const STATUS_BY_STATE: Record<CaseKind, Record<string, CustomerStatus>> = {
  dispute: {
    open: 'received',
    awaitingMerchant: 'waiting_for_merchant',
    'investigation.reviewing': 'in_review',
    'investigation.awaitingCustomerInfo': 'waiting_for_you',
    'investigation.awaitingMerchantInfo': 'waiting_for_merchant',
    // v3: a decision waits for a second person's approval; for the customer it is still in review.
    awaitingApproval: 'in_review',
    refunding: 'refund_in_progress',
    resolved: 'resolved',
    appealReview: 'appeal_in_review',
    closed: 'closed',
    withdrawn: 'withdrawn',
    // v4: closed into another case of the same customer, where the work goes on.
    merged: 'closed',
  },
  refund_request: {
    submitted: 'waiting_for_merchant',
    'underReview.reviewing': 'in_review',
    'underReview.awaitingCustomerInfo': 'waiting_for_you',
    // v2: a refund waits for a second person's approval; for the customer it is still in review.
    awaitingApproval: 'in_review',
    refunding: 'refund_in_progress',
    resolved: 'resolved',
    closed: 'closed',
    withdrawn: 'withdrawn',
    // v3: closed into another case of the same customer.
    merged: 'closed',
  },
  payment_failure: {
    open: 'received',
    'investigating.tracing': 'in_review',
    'investigating.awaitingCustomerInfo': 'waiting_for_you',
    // v3: a reversal waits for a second person's approval; for the customer it is still in review.
    awaitingApproval: 'in_review',
    reversing: 'refund_in_progress',
    // v2: the wallet confirms that no money was taken.
    verifyingNoFundsTaken: 'in_review',
    resolved: 'resolved',
    closed: 'closed',
    // v4: closed into another case of the same customer.
    merged: 'closed',
  },
  balance_discrepancy: {
    open: 'received',
    checkingPendingTransactions: 'in_review',
    correctionNeeded: 'in_review',
    correctionProposed: 'in_review',
    // v3: the proposed correction waits for a second person's approval (v2's correctionProposed).
    awaitingApproval: 'in_review',
    postingCorrection: 'in_review',
    // v2: the pending transactions must really settle before the case closes.
    confirmingSettlement: 'in_review',
    resolved: 'resolved',
    closed: 'closed',
    // v4: closed into another case of the same customer.
    merged: 'closed',
  },
  account_security: {
    // v2: a stolen account is frozen at once; the wallet confirms each step.
    opened: 'received',
    freezing: 'in_review',
    'verifyingForReset.verifyingIdentity': 'in_review',
    'verifyingForReset.awaitingCustomer': 'waiting_for_you',
    resettingCredentials: 'in_review',
    unfreezing: 'in_review',
    'frozen.awaitingCustomer': 'waiting_for_you',
    // v3: an unfreeze or credential reset waits for a second person's approval.
    awaitingApproval: 'in_review',
    frozen: 'in_review',
    resolved: 'resolved',
    closed: 'closed',
    // v4: closed into another case of the same customer.
    merged: 'closed',
  },
  inquiry: {
    open: 'received',
    answered: 'answered',
    followUp: 'in_review',
    closed: 'closed',
    archived: 'closed',
    // v2: closed into another case of the same customer.
    merged: 'closed',
  },
};

/** The customer's status of a case state, or undefined for a state nobody listed (the spec forbids that). */
export function listedCustomerStatus(kind: CaseKind, state: string): CustomerStatus | undefined {
  const byState = STATUS_BY_STATE[kind];
  return byState?.[state] ?? byState?.[state.split('.')[0]!];
}

export function customerStatusOf(kind: CaseKind, state: string): CustomerStatus {
  return listedCustomerStatus(kind, state) ?? 'in_review';
}
