import { timestampOrNull, type CaseEntity, type CaseRatingEntity, type CustomerContactEntity, type RefundEntity, type SqlStatement } from '@app/db';
import { REACHABILITY_SQL, reachabilityOf, reachabilityParams, type MerchantReachability, type ReachabilityRow } from '../merchant-reachability';

/** The refund columns a case view shows. */
export type RefundViewSource = Pick<
  RefundEntity,
  'id' | 'attempt' | 'amountMinor' | 'currency' | 'status' | 'gatewayRefundId' | 'expectedArrivalAt' | 'failureReason' | 'createdAt' | 'settledAt'
>;
/** The contact columns a case view shows: only the masked ones. */
export type ContactViewSource = Pick<CustomerContactEntity, 'locale' | 'pushEnabled' | 'phoneMasked' | 'emailMasked' | 'wechatOpenIdMasked'>;

/**
 * What a case's view shows besides the case's own rows: who it is assigned to, the customer's
 * rating, the refunds, the contact (masked), and for a dispute whether its merchant can be asked.
 */
export interface CaseViewExtras {
  assignee: { id: string; displayName: string } | null;
  rating: Pick<CaseRatingEntity, 'score' | 'comment' | 'createdAt'> | null;
  refunds: RefundViewSource[];
  contact: ContactViewSource | null;
  /** Null for a case that is not a dispute. */
  merchantReachability: MerchantReachability | null;
  /** The names of each side's evidence items (merchant fields and file categories, customer file categories), towards a dispute's requirements. */
  evidenceItems: { merchant: string[]; customer: string[] };
  /**
   * What the agent asking decided alone on the case's wallet transaction, on any of its cases (four
   * eyes per transaction): the decisions alone they are offered are held to what is left of their
   * limit. 0 for anyone else, and for a case without a transaction.
   */
  decidedAloneMinor: number;
}

/**
 * One statement for everything: an event's answer reads these in its write's round trip, and six
 * small reads (one per table, as it was) were half of the statements a transition sends over HTTP.
 * Each part is a scalar subquery built as JSON, so a missing row is a null, not a missing line.
 * `transactionRef`: where the case's wallet transaction comes from (a parameter, or a subquery).
 */
const extrasSql = (transactionRef: string) => `
  select
    (select jsonb_build_object('id', a.id, 'displayName', a.display_name)
       from cases c join agents a on a.id = c.assignee_id where c.id = ?) as assignee,
    (select jsonb_build_object('score', r.score, 'comment', r.comment, 'createdAt', r.created_at)
       from case_ratings r where r.case_id = ?) as rating,
    (select coalesce(jsonb_agg(jsonb_build_object(
              'id', f.id, 'attempt', f.attempt, 'amountMinor', f.amount_minor, 'currency', f.currency, 'status', f.status,
              'gatewayRefundId', f.gateway_refund_id, 'expectedArrivalAt', f.expected_arrival_at, 'failureReason', f.failure_reason,
              'createdAt', f.created_at, 'settledAt', f.settled_at) order by f.created_at, f.id), '[]'::jsonb)
       from refunds f where f.case_id = ?) as refunds,
    (select jsonb_build_object('locale', k.locale, 'pushEnabled', k.push_enabled, 'phoneMasked', k.phone_masked,
              'emailMasked', k.email_masked, 'wechatOpenIdMasked', k.wechat_open_id_masked)
       from case_customer_contacts k where k.case_id = ?) as contact,
    (select to_jsonb(m) from (${REACHABILITY_SQL}) m) as reachability,
    (select coalesce(jsonb_agg(jsonb_build_object('party', e.party, 'item', e.item)), '[]'::jsonb) from (
        select 'merchant' as party, k.item from evidence_submissions s cross join lateral jsonb_object_keys(s.fields) as k(item) where s.case_id = ?
        union select f.party, f.category from evidence_files f where f.case_id = ?) e) as evidence_items,
    (select coalesce(sum(d.amount_minor), 0) from refund_sole_decisions d where d.transaction_ref = ${transactionRef} and d.agent_id = ?) as decided_alone_minor`;

/** For a caller that holds the case: its transaction given. */
const EXTRAS_SQL = extrasSql('?');

/** For a reader that does not hold the case yet: its transaction read in the same statement (by the case id). */
const EXTRAS_BY_CASE_ID_SQL = extrasSql('(select c.transaction_ref from cases c where c.id = ?)');

interface ExtrasRow {
  assignee: { id: string; displayName: string } | null;
  rating: { score: number; comment: string | null; createdAt: string } | null;
  refunds: Array<
    Omit<RefundViewSource, 'amountMinor' | 'createdAt' | 'expectedArrivalAt' | 'settledAt'> & {
      amountMinor: number | string;
      createdAt: string;
      expectedArrivalAt: string | null;
      settledAt: string | null;
    }
  >;
  contact: ContactViewSource | null;
  reachability: ReachabilityRow | null;
  evidence_items: Array<{ party: 'merchant' | 'customer'; item: string }>;
  decided_alone_minor: number | string;
}

/**
 * The statement that reads a case's extras for an event's answer, which sends it in the write's
 * round trip: the case's transaction is given (the command holds the case), not joined from
 * `cases` again, which made every event's answer measurably slower (docs/benchmarks.md, round 16).
 * The same text as GetCase's (caseViewExtrasByCaseIdStatement) but for that, so the two answers
 * that show a case cannot drift apart. `askingAgentId`: the agent the view is for (null for anyone else).
 */
export function caseViewExtrasStatement(caseEntity: Pick<CaseEntity, 'id' | 'transactionRef'>, askingAgentId: string | null): SqlStatement {
  return extrasStatement(EXTRAS_SQL, caseEntity.id, caseEntity.transactionRef ?? null, askingAgentId);
}

/**
 * The same for a reader that sends it beside the case row, in the same snapshot and round trip
 * (GetCase): the case's transaction is read by the case's id in the statement itself.
 */
export function caseViewExtrasByCaseIdStatement(caseId: string, askingAgentId: string | null): SqlStatement {
  return extrasStatement(EXTRAS_BY_CASE_ID_SQL, caseId, caseId, askingAgentId);
}

function extrasStatement(sql: string, caseId: string, transactionParam: string | null, askingAgentId: string | null): SqlStatement {
  return {
    sql,
    params: [caseId, caseId, caseId, caseId, ...reachabilityParams(caseId), caseId, caseId, transactionParam, askingAgentId],
    // Planning it cost PostgreSQL five times what running it does (docs/benchmarks.md, round 22).
    prepared: true,
  };
}

/** The extras from the row caseViewExtrasStatement (or caseViewExtrasByCaseIdStatement) reads. */
export function caseViewExtrasOf(row: object): CaseViewExtras {
  const { assignee, rating, refunds, contact, reachability, evidence_items: items, decided_alone_minor: decidedAloneMinor } = row as ExtrasRow;
  return {
    assignee,
    rating: rating && { ...rating, createdAt: new Date(rating.createdAt) },
    refunds: refunds.map((refund) => ({
      ...refund,
      amountMinor: Number(refund.amountMinor),
      createdAt: new Date(refund.createdAt),
      expectedArrivalAt: timestampOrNull(refund.expectedArrivalAt),
      settledAt: timestampOrNull(refund.settledAt),
    })),
    contact,
    merchantReachability: reachabilityOf(reachability),
    evidenceItems: {
      merchant: items.filter((item) => item.party === 'merchant').map((item) => item.item),
      customer: items.filter((item) => item.party === 'customer').map((item) => item.item),
    },
    decidedAloneMinor: Number(decidedAloneMinor),
  };
}
