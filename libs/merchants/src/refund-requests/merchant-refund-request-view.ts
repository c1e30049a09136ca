import type { MerchantScope } from '../disputes/merchant-dispute-view';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CaseEntity, UUID_PATTERN } from '@app/db';
import { merchantCaseConditions, type MerchantCaseListFilter } from '../merchant-case-list';
import { DomainError, DomainErrorCode, allowedEvents, definitionFor, maxRefundableMinor, restoreSnapshot, type RefundRequestContextV3 } from '@app/domain';

/** A refund request's status as the merchant sees it. */
export const MERCHANT_REFUND_REQUEST_STATUSES = ['needs_response', 'under_review', 'refund_pending', 'refunded', 'rejected', 'withdrawn'] as const;
export type MerchantRefundRequestStatus = (typeof MERCHANT_REFUND_REQUEST_STATUSES)[number];

export type MerchantRefundRequestAction = 'approve' | 'reject';

export interface MerchantRefundRequestView {
  id: string;
  object: 'refund_request';
  /** False for a test-mode request (made with a test key's helpers), as on every merchant object. */
  livemode: boolean;
  status: MerchantRefundRequestStatus;
  /** What the customer paid, in minor units (fen). */
  amount: number;
  currency: string;
  /** The customer's claim as they made it. */
  claim: { reason: string | null; subject: string; description: string | null };
  transaction_ref: string | null;
  purchased_at: string;
  requested_at: string;
  /** The policy the request is decided under (the merchant's own when it opened, else the global one). */
  policy: { refund_window_days: number; partial_refunds_allowed: boolean; non_refundable_fee: number };
  /** What may still be approved under the policy now (0 outside the window). */
  refundable_amount: number;
  amount_refunded: number;
  /** When your answer is due; null when none is (support decides once it passes). */
  respond_by: string | null;
  /** The latest decision, or null while undecided. */
  decision: { outcome: 'full_refund' | 'partial_refund' | 'rejected'; amount: number; reason: string; stage: 'merchant_response' | 'support_review' | 'deadline' } | null;
  /** The customer contested your rejection: support reviews the request. */
  contest: { reason: string; rejected_reason: string } | null;
  /** What you may do now, straight from the machine. */
  allowed_actions: MerchantRefundRequestAction[];
  created: string;
  updated: string;
}

/** One status expression for the filter and the status shown, so they cannot disagree (refundRequestStatusOf says the same of a moment). */
const STATUS_SQL = `case
  when c.state = 'submitted' then 'needs_response'
  when c.state like 'refunding%' then 'refund_pending'
  when c.state = 'withdrawn' then 'withdrawn'
  when c.state in ('resolved', 'closed') then case when c.snapshot->'context'->'decision'->>'outcome' = 'rejected' then 'rejected' else 'refunded' end
  else 'under_review' end`;

const DUE_SQL = `(select min(d.due_at) from deadlines d where d.case_id = c.id and d.status = 'pending' and d.name = 'merchantResponseWindow')`;

export type MerchantRefundRequestFilter = MerchantCaseListFilter<MerchantRefundRequestStatus>;

interface Row {
  id: string;
  request_status: MerchantRefundRequestStatus;
  respond_by: Date | null;
}

/** Another merchant's request and a missing one get the same answer. */
export function refundRequestNotFound(id: string): DomainError {
  return new DomainError(DomainErrorCode.CaseNotFound, `No refund request ${id}.`, { refundRequestId: id });
}

/** The merchant's refund requests, newest first, keyset-paginated on (created, id). */
export async function queryMerchantRefundRequests(em: EntityManager, filter: MerchantRefundRequestFilter): Promise<MerchantRefundRequestView[]> {
  const conditions = merchantCaseConditions('refund_request', STATUS_SQL, filter);
  if (!conditions) return [];
  const { where, params } = conditions;
  const rows = await em.getConnection().execute<Row[]>(
    `select c.id, (${STATUS_SQL}) as request_status, ${DUE_SQL} as respond_by
     from cases c where ${where.join(' and ')}
     order by c.created_at desc, c.id desc limit ${Math.min(Math.max(filter.limit, 1), 101)}`,
    params,
  );
  if (rows.length === 0) return [];
  const entities = await em.find(CaseEntity, { id: { $in: rows.map((row) => row.id) } });
  const byId = new Map(entities.map((entity) => [entity.id, entity]));
  return rows.map((row) => toView(byId.get(row.id)!, row));
}

/** What a refund request is regardless of when it is looked at: fixed when it opened. */
export type RefundRequestIdentity = Pick<CaseEntity, 'id' | 'kind' | 'machineVersion' | 'livemode' | 'subject' | 'description' | 'transactionRef' | 'createdAt'>;

/** What the view needs of a refund request at some time: now (the live case) or at an event (its moment). */
export interface RefundRequestAt {
  snapshot: unknown;
  caseStatus: 'active' | 'done';
  status: MerchantRefundRequestStatus;
  respondBy: Date | null;
  updated: Date;
}

function toView(entity: CaseEntity, row: Row): MerchantRefundRequestView {
  return refundRequestView(entity, {
    snapshot: entity.snapshot,
    caseStatus: entity.status,
    status: row.request_status,
    respondBy: row.respond_by ? new Date(row.respond_by) : null,
    updated: entity.updatedAt,
  });
}

/** The merchant's view of a refund request from its parts, shared by the live view and the view at an event. */
export function refundRequestView(identity: RefundRequestIdentity, at: RefundRequestAt): MerchantRefundRequestView {
  // Older versions lack the v3 fields; they read as absent.
  const context = (at.snapshot as { context: Partial<RefundRequestContextV3> & RefundRequestContextV3 }).context;
  const definition = definitionFor(identity.kind, identity.machineVersion);
  const allowed = at.caseStatus === 'done' ? [] : allowedEvents(definition, restoreSnapshot(definition, at.snapshot as never), { kind: 'merchant' });
  const actions: MerchantRefundRequestAction[] = [];
  if (allowed.includes('APPROVE_FULL_REFUND') || allowed.includes('APPROVE_PARTIAL_REFUND')) actions.push('approve');
  if (allowed.includes('REJECT')) actions.push('reject');
  const refundable = maxRefundableMinor(context.policy, {
    amountMinor: context.amount.amountMinor,
    purchasedAt: context.purchasedAt,
    requestedAt: context.requestedAt,
    alreadyRefundedMinor: context.refundedMinor,
  });
  const decision = context.decision;
  const contest = context.contest ?? null;
  return {
    id: identity.id,
    object: 'refund_request',
    livemode: identity.livemode,
    status: at.status,
    amount: context.amount.amountMinor,
    currency: context.amount.currency,
    claim: { reason: context.reason, subject: identity.subject, description: identity.description ?? null },
    transaction_ref: identity.transactionRef,
    purchased_at: context.purchasedAt,
    requested_at: context.requestedAt,
    policy: {
      refund_window_days: context.policy.refundWindowDays,
      partial_refunds_allowed: context.policy.partialRefundsAllowed,
      non_refundable_fee: context.policy.nonRefundableFeeMinor,
    },
    refundable_amount: Math.max(0, refundable - context.pendingRefundMinor),
    amount_refunded: context.refundedMinor,
    respond_by: at.respondBy ? at.respondBy.toISOString() : null,
    decision: decision ? { outcome: decision.outcome, amount: decision.amountMinor, reason: decision.reason, stage: decision.decidedAt } : null,
    contest: contest ? { reason: contest.reason, rejected_reason: contest.rejectedReason } : null,
    allowed_actions: actions,
    created: identity.createdAt.toISOString(),
    updated: at.updated.toISOString(),
  };
}

/** STATUS_SQL on a state and snapshot that are not (or no longer) the case row's, such as an event's moment. */
export function refundRequestStatusOf(state: string, snapshot: unknown): MerchantRefundRequestStatus {
  if (state === 'submitted') return 'needs_response';
  if (state.startsWith('refunding')) return 'refund_pending';
  if (state === 'withdrawn') return 'withdrawn';
  if (state === 'resolved' || state === 'closed') {
    const outcome = (snapshot as { context?: { decision?: { outcome?: string } | null } }).context?.decision?.outcome;
    return outcome === 'rejected' ? 'rejected' : 'refunded';
  }
  return 'under_review';
}

/** DUE_SQL on an event's moment: when the merchant's answer was due then. */
export function respondByOf(deadlines: ReadonlyArray<{ name: string; dueAt: string }>): Date | null {
  const due = deadlines.filter((d) => d.name === 'merchantResponseWindow').map((d) => new Date(d.dueAt).getTime());
  return due.length > 0 ? new Date(Math.min(...due)) : null;
}

export async function getMerchantRefundRequestView(em: EntityManager, merchant: MerchantScope, id: string): Promise<MerchantRefundRequestView> {
  const [view] = await queryMerchantRefundRequests(em, { merchantId: merchant.id, livemode: merchant.livemode, id, limit: 1 });
  if (!view) throw refundRequestNotFound(id);
  return view;
}

/** Loads a refund request only if it belongs to the merchant; anything else is the same 404. */
export async function findOwnedRefundRequest(em: EntityManager, merchant: MerchantScope, id: string): Promise<CaseEntity> {
  const entity = UUID_PATTERN.test(id) ? await em.findOne(CaseEntity, { id, kind: 'refund_request', merchantId: merchant.id, livemode: merchant.livemode }) : null;
  if (!entity) throw refundRequestNotFound(id);
  return entity;
}
