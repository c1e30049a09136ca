/**
 * Shapes of the agent API's answers, as the UI reads them. The machine description type comes
 * from the domain itself (a type-only import, erased at build), so the statechart and action
 * forms cannot drift from what GET /v1/machines/:kind/:version returns.
 */
export type { EventDescription, MachineDescription, PayloadFieldDescription, StateDescription, TransitionDescription } from '@domain/machines/describe-machine';
export type { AgentRole, CaseKind, Channel, Priority } from '@domain/cases/case-kind';
import type { AgentRole } from '@domain/cases/case-kind';
import type { DisputeCounterparty, EvidenceRequirementsStatus } from '@domain/disputes/evidence-requirements';
export type { EvidenceRequirementsStatus } from '@domain/disputes/evidence-requirements';

/** Disputes only: the reason, who it is against, and each side's evidence against its requirements (merchant null without one). */
export interface EvidenceRequirements {
  reason: string;
  counterparty: DisputeCounterparty;
  merchant: EvidenceRequirementsStatus | null;
  customer: EvidenceRequirementsStatus | null;
}

export interface Agent {
  id: string;
  email: string;
  displayName: string;
  role: AgentRole;
  locale: 'zh-CN' | 'en';
  /** The role needs two-factor login and it is not set up yet: the session may only enrol. */
  totpEnrolmentRequired?: boolean;
}

/** GET /v1/agents: one row; `totpEnabled` and `lastLoginAt` for supervisors and admins only. */
export interface AgentAccount extends Agent {
  active: boolean;
  totpEnabled?: boolean;
  lastLoginAt?: string | null;
}

export interface Money {
  amountMinor: number;
  currency: string;
}

export interface CaseSummary {
  id: string;
  kind: string;
  state: string;
  status: 'active' | 'done';
  version: number;
  priority: string;
  channel: string;
  subject: string;
  customer: { id: string; name: string | null };
  merchantId: string | null;
  /** False for a merchant's test-mode case (made with its test helpers): no real money or customer. */
  livemode: boolean;
  testClockId: string | null;
  transactionRef: string | null;
  amount: Money | null;
  assignee: { id: string; displayName: string } | null;
  nextDeadlineAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Deadline {
  id: string;
  name: string;
  label: string;
  dueAt: string;
  event: string;
}

/** A refund sent to the wallet for the case (GET /v1/cases/:id). */
export interface Refund {
  id: string;
  attempt: number;
  amountMinor: number;
  currency: string;
  status: 'requested' | 'processing' | 'succeeded' | 'failed';
  walletRefundId: string | null;
  expectedArrivalAt: string | null;
  failureReason: string | null;
  createdAt: string;
  settledAt: string | null;
}

export interface CaseDetail extends CaseSummary {
  machineVersion: number;
  description: string | null;
  details: Record<string, unknown> | null;
  /** Without FORWARD_TO_MERCHANT while the merchant cannot be reached (see merchantReachability). */
  allowedEvents: string[];
  /** Disputes only: whether the merchant would hear of the dispute if it were forwarded, and if not, why. */
  merchantReachability?: { reachable: boolean; reason: 'no_merchant' | 'merchant_not_registered' | 'no_active_key_or_webhook' | null } | null;
  evidenceRequirements?: EvidenceRequirements | null;
  deadlines: Deadline[];
  refunds?: Refund[];
  /** The customer's rating of the outcome, once given through the customer API. */
  customerRating?: { score: number; comment: string | null; createdAt: string } | null;
  /** Masked: 138****5678, w***@example.com. */
  customerContact: CustomerContact | null;
}

export interface CustomerContact {
  locale: 'zh-CN' | 'en';
  pushEnabled: boolean;
  phone: string | null;
  email: string | null;
  wechatOpenId: string | null;
}

export type RevealedContact = Partial<Record<'phone' | 'email' | 'wechatOpenId', string>>;

export interface CasePage {
  items: CaseSummary[];
  nextCursor: string | null;
}

export interface TimelineEntry {
  id: number | string;
  category: 'machine' | 'annotation' | 'notification' | 'contact_reveal';
  type: string;
  actor: { kind: string; id: string | null; name: string | null };
  from: string | null;
  to: string | null;
  caseVersion: number | null;
  payload: Record<string, unknown>;
  at: string;
}

export interface QueueCounts {
  active: number;
  overdue: number;
  dueSoon: number;
  unassigned: number;
}

/** GET /v1/sla/breaches (supervisor role): counts keyed by policy id and by agent id ('unassigned' for none). */
export interface SlaBreaches {
  items: Array<{ caseId: string; target: string; policyId: string; breachedAt: string; assigneeId: string | null; caseSubject: string; caseKind: string }>;
  counts: { byPolicy: Record<string, number>; byAgent: Record<string, number> };
}

export interface QueueStats {
  at: string;
  totals: QueueCounts;
  byKindState: Array<{ kind: string; state: string } & QueueCounts>;
  byAssignee: Array<{ assigneeId: string | null; displayName: string | null } & QueueCounts>;
}

/** GET /v1/notifications: the agent inbox (SLA reminders and breaches, customers' and merchants' replies). */
export interface InboxEntry {
  id: string;
  audience: 'agent' | 'supervisors';
  type: string;
  caseId: string | null;
  payload: { subject?: string; excerpt?: string; party?: 'customer' | 'merchant'; target?: string; [key: string]: unknown };
  createdAt: string;
  readAt: string | null;
}

export type MessageLocale = 'zh-CN' | 'en';
export type MessageParty = 'customer' | 'merchant';

export interface CaseMessage {
  id: string;
  caseId: string;
  party: MessageParty;
  direction: 'inbound' | 'outbound';
  author: { kind: 'agent' | 'customer' | 'merchant'; id: string; displayName: string | null };
  body: string;
  locale: MessageLocale;
  macroId: string | null;
  createdAt: string;
}

/** GET /v1/cases/:id/messages */
export interface CaseConversation {
  caseId: string;
  /** The language a reply to each party goes out in by default; merchant is null when the case has none. */
  replyLocales: { customer: MessageLocale; merchant: MessageLocale | null };
  messages: CaseMessage[];
}

export interface Macro {
  id: string;
  translations: Record<MessageLocale, { title: string; body: string }>;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface RenderedMacro {
  macroId: string;
  locale: MessageLocale;
  title: string;
  body: string;
}

/** One proposal waiting for a second person (GET /v1/approvals). */
export interface ApprovalItem {
  case: CaseSummary;
  proposal: {
    action: string | null;
    amountMinor: number | null;
    currency: string | null;
    reason: string | null;
    direction: 'credit' | 'debit' | null;
    proposedBy: { id: string; displayName: string } | null;
  };
  waitingSince: string;
  dueAt: string | null;
  overdue: boolean;
  /** The events the signed-in person may decide it with (none for the proposer). */
  decideWith: { approve: string | null; reject: string | null };
}

export interface ApprovalPage {
  items: ApprovalItem[];
  nextCursor: string | null;
}
