import { AGENT_ROLES, type AgentRole } from '../cases/case-kind';

/** The largest refund, in minor units per currency, one person may decide alone. */
export type CurrencyLimits = Readonly<Record<string, number>>;

/**
 * Refund limits per agent role: up to its limit a person of that role decides a refund alone;
 * above it the decision is a proposal a second person approves. `'unlimited'` for no limit. A
 * currency a role does not list has a limit of 0: every refund in it needs a second person.
 */
export type RefundLimits = Readonly<Record<AgentRole, CurrencyLimits | 'unlimited'>>;

/** ¥500 for an agent, ¥50,000 for a supervisor (and about the same in HKD, USD and EUR); admins decide alone. */
export const DEFAULT_REFUND_LIMITS: RefundLimits = {
  agent: { CNY: 50_000, HKD: 55_000, USD: 7_000, EUR: 6_500 },
  supervisor: { CNY: 5_000_000, HKD: 5_500_000, USD: 700_000, EUR: 650_000 },
  admin: 'unlimited',
};

/** Who sends an event, as far as the approval rules care: agents have a role, an id and their limits. */
export interface Authority {
  kind: string;
  role?: AgentRole;
  id?: string | null;
  /** The configured limits (all roles); the defaults when the caller configured none. */
  refundLimits?: RefundLimits;
}

/**
 * The largest refund the sender may decide alone. Merchants refund their own money and the
 * system only carries out decisions already taken, so neither has a limit; anyone else (a
 * customer) decides none.
 */
export function refundLimitOf(sender: Authority, currency: string): number {
  if (sender.kind === 'merchant' || sender.kind === 'system') return Number.POSITIVE_INFINITY;
  if (sender.kind !== 'agent') return 0;
  const { role, limits } = agentLimitsOf(sender);
  const roleLimits = limits[role];
  if (roleLimits === 'unlimited') return Number.POSITIVE_INFINITY;
  return roleLimits[currency] ?? 0;
}

/** An agent's role (the lowest when none is given) and the limits that apply (the defaults when none are configured). */
export function agentLimitsOf(sender: Authority): { role: AgentRole; limits: RefundLimits } {
  return { role: sender.role ?? AGENT_ROLES[0], limits: sender.refundLimits ?? DEFAULT_REFUND_LIMITS };
}
