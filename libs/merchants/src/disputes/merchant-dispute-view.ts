import type { EntityManager } from '@mikro-orm/postgresql';
import { CaseEntity, UUID_PATTERN } from '@app/db';
import { merchantCaseConditions, type MerchantCaseListFilter } from '../merchant-case-list';
import {
  DomainError,
  DomainErrorCode,
  allowedEvents,
  canonicalDisputeReason,
  definitionFor,
  evidenceRequirementsStatus,
  restoreSnapshot,
  type DisputeContext,
  type EvidenceRequirementsStatus,
} from '@app/domain';

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
  /** The dispute reason as it is called now (an old `duplicate` reads duplicate_charge). */
  reason: string;
  /**
   * The evidence this reason requires and allows from you, what you have staged or submitted so far,
   * and what is still missing: submitting the first evidence (contesting) is refused while `missing` is not empty.
   */
  evidence_requirements: EvidenceRequirementsStatus | null;
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

export interface MerchantDisputeFilter extends MerchantCaseListFilter<MerchantDisputeStatus> {
  dueBefore?: string;
}

interface Row {
  id: string;
  dispute_status: MerchantDisputeStatus;
  evidence_due_by: Date | null;
  has_evidence: boolean;
  created_at: Date;
}

/**
 * Another merchant's dispute and a missing one get the same answer, so a merchant cannot learn
 * which case ids exist.
 */
export function disputeNotFound(id: string): DomainError {
  return new DomainError(DomainErrorCode.CaseNotFound, `No dispute ${id}.`, { disputeId: id });
}

/** The merchant's disputes, newest first, keyset-paginated on (created, id). */
export async function queryMerchantDisputes(em: EntityManager, filter: MerchantDisputeFilter): Promise<MerchantDisputeView[]> {
  const conditions = merchantCaseConditions('dispute', STATUS_SQL, filter);
  if (!conditions) return [];
  const { where, params } = conditions;
  if (filter.dueBefore) {
    where.push(`${DUE_SQL} < ?::timestamptz`);
    params.push(filter.dueBefore);
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
  const items = await merchantEvidenceItems(
    em,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toView(byId.get(row.id)!, row, items.get(row.id) ?? []));
}

/**
 * The names of the merchant's evidence items per case (text fields staged or submitted, file categories), which count
 * towards the requirements. With `asOf` (a webhook's moment), only what had been submitted or uploaded by then: staged
 * text of that time is not kept, so it does not count.
 */
export async function merchantEvidenceItems(em: EntityManager, caseIds: string[], asOf?: string): Promise<Map<string, string[]>> {
  const ids = `{${caseIds.join(',')}}`; // uuids from our own rows, as one array literal
  const rows = await em.getConnection().execute<Array<{ case_id: string; item: string }>>(
    asOf
      ? `select s.case_id, k.item from evidence_submissions s cross join lateral jsonb_object_keys(s.fields) as k(item)
           where s.case_id = any(?::uuid[]) and s.submitted_at <= ?::timestamptz
         union select f.case_id, f.category from evidence_files f where f.party = 'merchant' and f.case_id = any(?::uuid[]) and f.created_at <= ?::timestamptz`
      : `select s.case_id, k.item from evidence_submissions s cross join lateral jsonb_object_keys(s.fields) as k(item) where s.case_id = any(?::uuid[])
         union select f.case_id, f.category from evidence_files f where f.party = 'merchant' and f.case_id = any(?::uuid[])`,
    asOf ? [ids, asOf, ids, asOf] : [ids, ids],
    'all',
    em.getTransactionContext(),
  );
  const byCase = new Map<string, string[]>();
  for (const row of rows) byCase.set(row.case_id, [...(byCase.get(row.case_id) ?? []), row.item]);
  return byCase;
}

function toView(entity: CaseEntity, row: Row, evidenceItems: string[]): MerchantDisputeView {
  return disputeView(entity, {
    evidenceItems,
    snapshot: entity.snapshot,
    caseStatus: entity.status,
    status: row.dispute_status,
    evidenceDueBy: row.evidence_due_by ? new Date(row.evidence_due_by) : null,
    hasEvidence: row.has_evidence,
    updated: entity.updatedAt,
  });
}

/** The case's fields that never change after it was opened. */
export type DisputeIdentity = Pick<CaseEntity, 'id' | 'kind' | 'machineVersion' | 'transactionRef' | 'createdAt' | 'livemode'>;

/** The view from its parts: the live case (the API) and a case as it was at an event (webhooks) share it. */
export function disputeView(
  identity: DisputeIdentity,
  at: { evidenceItems: string[]; snapshot: unknown; caseStatus: 'active' | 'done'; status: MerchantDisputeStatus; evidenceDueBy: Date | null; hasEvidence: boolean; updated: Date },
): MerchantDisputeView {
  const context = (at.snapshot as { context: DisputeContext }).context;
  const definition = definitionFor(identity.kind, identity.machineVersion);
  const allowed = at.caseStatus === 'done' ? [] : allowedEvents(definition, restoreSnapshot(definition, at.snapshot as never), { kind: 'merchant' });
  const actions = new Set<'accept' | 'submit_evidence'>();
  if (allowed.includes('MERCHANT_ACCEPT')) actions.add('accept');
  if (allowed.includes('MERCHANT_CONTEST') || allowed.includes('MERCHANT_INFO_PROVIDED')) actions.add('submit_evidence');
  return {
    id: identity.id,
    object: 'dispute',
    livemode: identity.livemode,
    status: at.status,
    amount: context.amount.amountMinor,
    currency: context.amount.currency,
    reason: canonicalDisputeReason(context.reason) ?? context.reason,
    evidence_requirements: evidenceRequirementsStatus(context.reason, 'merchant', at.evidenceItems),
    transaction_ref: identity.transactionRef,
    evidence_due_by: at.evidenceDueBy ? at.evidenceDueBy.toISOString() : null,
    has_evidence: at.hasEvidence,
    submission_count: context.evidenceSubmissions ?? 0,
    info_request: context.openInfoRequest?.from === 'merchant' ? { question: context.openInfoRequest.question } : null,
    allowed_actions: [...actions],
    created: identity.createdAt.toISOString(),
    updated: at.updated.toISOString(),
  };
}

/**
 * STATUS_SQL for a case held in memory (a webhook's moment); `forwarded` is whether the merchant
 * was ever asked. The integration tests hold the two together.
 */
export function merchantStatusOf(state: string, context: Pick<DisputeContext, 'decisions'>, forwarded: boolean): MerchantDisputeStatus {
  if (state === 'open') return 'warning_under_review';
  if (state === 'awaitingMerchant' || state === 'investigation.awaitingMerchantInfo') return 'needs_response';
  if (state.startsWith('investigation.') || state === 'appealReview') return 'under_review';
  if (state.startsWith('refunding')) return 'lost';
  if (state === 'withdrawn') return forwarded ? 'won' : 'warning_closed';
  if (state === 'resolved' || state === 'closed') return context.decisions[context.decisions.length - 1]?.outcome === 'rejected' ? 'won' : 'lost';
  return 'under_review';
}

/** DUE_SQL for a case held in memory: the merchant's response window, or its information request's. */
export function evidenceDueByOf(state: string, deadlines: ReadonlyArray<{ name: string; dueAt: string }>): Date | null {
  const due = deadlines
    .filter((d) => d.name === 'merchantResponseWindow' || (d.name === 'infoReplyWindow' && state === 'investigation.awaitingMerchantInfo'))
    .map((d) => new Date(d.dueAt).getTime());
  return due.length ? new Date(Math.min(...due)) : null;
}

export async function getMerchantDisputeView(em: EntityManager, merchant: MerchantScope, disputeId: string): Promise<MerchantDisputeView> {
  const [view] = await queryMerchantDisputes(em, { merchantId: merchant.id, livemode: merchant.livemode, id: disputeId, limit: 1 });
  if (!view) throw disputeNotFound(disputeId);
  return view;
}

/** Loads a dispute only if it belongs to the merchant, in the key's mode; anything else is the same 404. */
export async function findOwnedDispute(em: EntityManager, merchant: MerchantScope, disputeId: string): Promise<CaseEntity> {
  const entity = UUID_PATTERN.test(disputeId) ? await em.findOne(CaseEntity, { id: disputeId, kind: 'dispute', merchantId: merchant.id, livemode: merchant.livemode }) : null;
  if (!entity) throw disputeNotFound(disputeId);
  return entity;
}

export function toDecisionView(view: MerchantDisputeView, entity: Pick<CaseEntity, 'id' | 'snapshot'>): MerchantDecisionView {
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
