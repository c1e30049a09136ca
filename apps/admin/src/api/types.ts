/**
 * Shapes of the agent API's answers, as the UI reads them. The machine description type comes
 * from the domain itself (a type-only import, erased at build), so the statechart and action
 * forms cannot drift from what GET /v1/machines/:kind/:version returns.
 */
export type {
  EventDescription,
  MachineDescription,
  PayloadFieldDescription,
  StateDescription,
  TransitionDescription,
} from '@domain/machines/describe-machine';
export type { AgentRole, CaseKind, Channel, Priority } from '@domain/cases/case-kind';
import type { AgentRole } from '@domain/cases/case-kind';

export interface Agent {
  id: string;
  email: string;
  displayName: string;
  role: AgentRole;
  locale: 'zh-CN' | 'en';
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

export interface CaseDetail extends CaseSummary {
  machineVersion: number;
  description: string | null;
  details: Record<string, unknown> | null;
  allowedEvents: string[];
  deadlines: Deadline[];
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
