import type { EntityManager } from '@mikro-orm/postgresql';
import { CaseEntity } from '@app/db';
import { DomainError, DomainErrorCode, allowedEvents, definitionFor, restoreSnapshot, type DisputeContext } from '@app/domain';

/** Dispute statuses as a Stripe user knows them. `warning_*` is the stage before the merchant is asked. */
export const MERCHANT_DISPUTE_STATUSES = ['warning_under_review', 'warning_closed', 'needs_response', 'under_review', 'won', 'lost'] as const;
export type MerchantDisputeStatus = (typeof MERCHANT_DISPUTE_STATUSES)[number];

/**
 * Whose data a merchant request may touch: the key's merchant, in the key's mode. A test key sees
 * only test-mode cases and a live key only live ones, each the same 404 as a missing case to the other.
 */
export interface MerchantScope {
  id: string;
  livemode: boolean;
}

export interface MerchantDisputeView {
  id: string;
  object: 'dispute';
  /** False for a test-mode dispute (Stripe's flag). */
  livemode: boolean;
  status: MerchantDisputeStatus;
  /** Minor units (fen). */
  amount: number;
  currency: string;
  reason: string;
  transaction_ref: string | null;
  /** When the merchant's current response window closes; null when no response is due. */
  evidence_due_by: string | null;
  has_evidence: boolean;
  submission_count: number;
  /** The agent's question when more information is requested from the merchant. */
  info_request: { question: string } | null;
  /** What the merchant may do now, straight from the machine. */
  allowed_actions: Array<'accept' | 'submit_evidence'>;
  created: string;
  updated: string;
}

export interface MerchantDecisionView {
  dispute_id: string;
  status: MerchantDisputeStatus;
  /** The latest decision, or null while undecided. */
  outcome: 'full_refund' | 'partial_refund' | 'rejected' | null;
  decided_by: 'agent' | 'merchant' | 'deadline' | null;
  reason: string | null;
  amount_refunded: number;
  currency: string;
  decisions: Array<{ outcome: string; amount: number; decided_by: string; stage: string; reason: string }>;
}

/**
 * The one status expression, used for the status filter and the status shown, so they cannot
 * disagree. Withdrawn before the merchant was asked: the merchant never had a dispute to win.
 */
const STATUS_SQL = `case
  when c.state = 'open' then 'warning_under_review'
  when c.state in ('awaitingMerchant', 'investigation.awaitingMerchantInfo') then 'needs_response'
  when c.state like 'investigation.%' or c.state = 'appealReview' then 'under_review'
  when c.state like 'refunding%' then 'lost'
  when c.state = 'withdrawn' then case when exists (select 1 from case_events e where e.case_id = c.id and e.type = 'FORWARD_TO_MERCHANT') then 'won' else 'warning_closed' end
  when c.state in ('resolved', 'closed') then case when c.snapshot->'context'->'decisions'->-1->>'outcome' = 'rejected' then 'won' else 'lost' end
  else 'under_review' end`;

/** The merchant's response window, or the information request addressed to the merchant. */
const DUE_SQL = `(select min(d.due_at) from deadlines d where d.case_id = c.id and d.status = 'pending'
  and (d.name = 'merchantResponseWindow' or (d.name = 'infoReplyWindow' and c.state = 'investigation.awaitingMerchantInfo')))`;

export interface MerchantDisputeFilter {
  merchantId: string;
  livemode: boolean;
  id?: string;
  status?: MerchantDisputeStatus;
  dueBefore?: string;
  createdAfter?: string;
  createdBefore?: string;
  after?: { created: string; id: string };
  limit: number;
}

interface Row {
  id: string;
  dispute_status: MerchantDisputeStatus;
  evidence_due_by: Date | null;
  has_evidence: boolean;
  created_at: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Another merchant's dispute and a missing one get the same answer, so a merchant cannot learn
 * which case ids exist.
 */
export function disputeNotFound(id: string): DomainError {
  return new DomainError(DomainErrorCode.CaseNotFound, `No dispute ${id}.`, { disputeId: id });
}

/** The merchant's disputes, newest first, keyset-paginated on (created, id). */
export async function queryMerchantDisputes(em: EntityManager, filter: MerchantDisputeFilter): Promise<MerchantDisputeView[]> {
  const where = [`c.kind = 'dispute'`, 'c.merchant_id = ?', 'c.livemode = ?'];
  const params: unknown[] = [filter.merchantId, filter.livemode];
  if (filter.id) {
    if (!UUID.test(filter.id)) return [];
    where.push('c.id = ?');
    params.push(filter.id);
  }
  if (filter.status) {
    where.push(`(${STATUS_SQL}) = ?`);
    params.push(filter.status);
  }
  if (filter.dueBefore) {
    where.push(`${DUE_SQL} < ?::timestamptz`);
    params.push(filter.dueBefore);
  }
  if (filter.createdAfter) {
    where.push('c.created_at >= ?::timestamptz');
    params.push(filter.createdAfter);
  }
  if (filter.createdBefore) {
    where.push('c.created_at < ?::timestamptz');
    params.push(filter.createdBefore);
  }
  if (filter.after) {
    where.push('(c.created_at, c.id) < (?::timestamptz, ?::uuid)');
    params.push(filter.after.created, filter.after.id);
  }
  const rows = await em.getConnection().execute<Row[]>(
    `select c.id, (${STATUS_SQL}) as dispute_status, ${DUE_SQL} as evidence_due_by,
       exists (select 1 from evidence_submissions s where s.case_id = c.id and s.status = 'submitted') as has_evidence, c.created_at
     from cases c where ${where.join(' and ')}
     order by c.created_at desc, c.id desc limit ${Math.min(Math.max(filter.limit, 1), 100)}`,
    params,
  );
  if (rows.length === 0) return [];
  const entities = await em.find(CaseEntity, { id: { $in: rows.map((row) => row.id) } });
  const byId = new Map(entities.map((entity) => [entity.id, entity]));
  return rows.map((row) => toView(byId.get(row.id)!, row));
}

function toView(entity: CaseEntity, row: Row): MerchantDisputeView {
  const context = (entity.snapshot as { context: DisputeContext }).context;
  const definition = definitionFor(entity.kind, entity.machineVersion);
  const allowed = entity.status === 'done' ? [] : allowedEvents(definition, restoreSnapshot(definition, entity.snapshot as never), { kind: 'merchant' });
  const actions = new Set<'accept' | 'submit_evidence'>();
  if (allowed.includes('MERCHANT_ACCEPT')) actions.add('accept');
  if (allowed.includes('MERCHANT_CONTEST') || allowed.includes('MERCHANT_INFO_PROVIDED')) actions.add('submit_evidence');
  return {
    id: entity.id,
    object: 'dispute',
    livemode: entity.livemode,
    status: row.dispute_status,
    amount: context.amount.amountMinor,
    currency: context.amount.currency,
    reason: context.reason,
    transaction_ref: entity.transactionRef,
    evidence_due_by: row.evidence_due_by ? new Date(row.evidence_due_by).toISOString() : null,
    has_evidence: row.has_evidence,
    submission_count: context.evidenceSubmissions ?? 0,
    info_request: context.openInfoRequest?.from === 'merchant' ? { question: context.openInfoRequest.question } : null,
    allowed_actions: [...actions],
    created: entity.createdAt.toISOString(),
    updated: entity.updatedAt.toISOString(),
  };
}

export async function getMerchantDisputeView(em: EntityManager, merchant: MerchantScope, disputeId: string): Promise<MerchantDisputeView> {
  const [view] = await queryMerchantDisputes(em, { merchantId: merchant.id, livemode: merchant.livemode, id: disputeId, limit: 1 });
  if (!view) throw disputeNotFound(disputeId);
  return view;
}

/** Loads a dispute only if it belongs to the merchant, in the key's mode; anything else is the same 404. */
export async function findOwnedDispute(em: EntityManager, merchant: MerchantScope, disputeId: string): Promise<CaseEntity> {
  const entity = UUID.test(disputeId) ? await em.findOne(CaseEntity, { id: disputeId, kind: 'dispute', merchantId: merchant.id, livemode: merchant.livemode }) : null;
  if (!entity) throw disputeNotFound(disputeId);
  return entity;
}

export function toDecisionView(view: MerchantDisputeView, entity: CaseEntity): MerchantDecisionView {
  const context = (entity.snapshot as { context: DisputeContext }).context;
  const last = context.decisions[context.decisions.length - 1];
  return {
    dispute_id: entity.id,
    status: view.status,
    outcome: last?.outcome ?? null,
    decided_by: last?.decidedBy ?? null,
    reason: last?.reason ?? null,
    amount_refunded: context.refundedMinor,
    currency: context.amount.currency,
    decisions: context.decisions.map((decision) => ({
      outcome: decision.outcome,
      amount: decision.amountMinor,
      decided_by: decision.decidedBy,
      stage: decision.stage,
      reason: decision.reason,
    })),
  };
}
