/**
 * The durations the machines' `after` transitions read from their context. They are copied into
 * a case's context when it opens, so a case keeps the windows it was promised even if the
 * configuration changes later, and replaying its events gives the same deadlines.
 * (The SLA engine will compute these from policies and business calendars.)
 */
export interface CaseWindows {
  /** Disputes and refund requests: how long the merchant has to answer (7 calendar days by default). */
  merchantResponseMs: number;
  /** How long either side has to answer a request for more information. */
  infoReplyMs: number;
  /** Resolved → closed unless someone appeals in this window; an inquiry may be reopened within it. */
  appealWindowMs: number;
  /** Wait before the engine retries a failed refund by itself. */
  refundRetryMs: number;
  /** Support cases waiting on the customer (inquiry answered, account verification, ...). */
  customerReplyMs: number;
  /**
   * How long a wallet action (freeze, unfreeze, credential reset, balance correction) may stay
   * unconfirmed before agents are told. Machines from v2 on read it; v1 contexts lack it.
   */
  walletConfirmationMs: number;
  /** Wait before the wallet is asked again whether a pending transaction has settled. */
  pendingRecheckMs: number;
  /**
   * How long a proposal may wait for a second person's approval before it is escalated (priority
   * up, supervisors alerted). Machines with approval states read it; older contexts lack it.
   */
  approvalMs: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const DEFAULT_WINDOWS: CaseWindows = {
  merchantResponseMs: 7 * DAY,
  infoReplyMs: 5 * DAY,
  appealWindowMs: 14 * DAY,
  refundRetryMs: 15 * MINUTE,
  customerReplyMs: 3 * DAY,
  walletConfirmationMs: 15 * MINUTE,
  pendingRecheckMs: 30 * MINUTE,
  approvalMs: 4 * 60 * MINUTE,
};

/** Refunds the engine retries by itself before an agent has to step in. */
export const MAX_AUTOMATIC_REFUND_ATTEMPTS = 3;

/** Times the wallet is asked whether a pending transaction settled before an agent has to look (the first check included). */
export const MAX_SETTLEMENT_CHECKS = 4;
