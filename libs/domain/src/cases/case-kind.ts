export const CASE_KINDS = ['dispute', 'refund_request', 'payment_failure', 'balance_discrepancy', 'account_security', 'inquiry'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

/** Where the customer reached support. `app` is the in-app flow opened by the wallet backend. */
export const CHANNELS = ['hotline', 'chat', 'email', 'wechat', 'weibo', 'app'] as const;
export type Channel = (typeof CHANNELS)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/**
 * Why a customer disputes a transaction (the evidence each side owes per reason is in
 * disputes/evidence-requirements.ts). `peer_transfer` is a dispute with another wallet user (a
 * transfer to the wrong person, a scam): there is no merchant to ask.
 */
export const DISPUTE_REASONS = [
  'not_received',
  'not_as_described',
  'not_completed',
  'duplicate_charge',
  'unauthorised',
  'credit_not_processed',
  'cancelled',
  'peer_transfer',
] as const;
export type DisputeReason = (typeof DISPUTE_REASONS)[number];

/**
 * What an account-security case was opened for: a stolen (taken-over) account is frozen at once
 * and runs on the urgent 24/7 SLA; a forgotten password needs no freeze, only a verified reset.
 */
export const SECURITY_REPORTS = ['stolen_account', 'forgotten_password'] as const;
export type SecurityReport = (typeof SECURITY_REPORTS)[number];

/** The report a case stands for: account_security cases opened without one (callers from before v2) are stolen accounts. */
export function securityReportOf(kind: CaseKind, report: SecurityReport | null | undefined): SecurityReport | null {
  return kind === 'account_security' ? (report ?? 'stolen_account') : null;
}

/** Who sends an event. Agents act for customers and merchants on the phone; `system` is the clock and the refund gateway. */
export const ACTOR_KINDS = ['agent', 'merchant', 'customer', 'system'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export const AGENT_ROLES = ['agent', 'supervisor', 'admin'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];
