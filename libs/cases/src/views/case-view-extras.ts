import type { EntityManager } from '@mikro-orm/postgresql';
import { CaseRatingEntity, CustomerContactEntity, RefundEntity } from '@app/db';
import { readDisputeMerchantReachability, type MerchantReachability } from '../merchant-reachability';

/**
 * What a case's view shows besides the case's own rows: the customer's rating, the refunds, the
 * contact (masked), and for a dispute whether its merchant can be asked.
 */
export interface CaseViewExtras {
  rating: CaseRatingEntity | null;
  refunds: RefundEntity[];
  contact: CustomerContactEntity | null;
  /** Null for a case that is not a dispute. */
  merchantReachability: MerchantReachability | null;
  /** The names of each side's evidence items (merchant fields and file categories, customer file categories), towards a dispute's requirements. */
  evidenceItems: { merchant: string[]; customer: string[] };
}

/** One statement: the merchant's staged or submitted fields, and both sides' file categories. */
const EVIDENCE_ITEMS_SQL = `
  select 'merchant' as party, k.item from evidence_submissions s cross join lateral jsonb_object_keys(s.fields) as k(item) where s.case_id = ?
  union select f.party, f.category from evidence_files f where f.case_id = ?`;

/**
 * Read in one place for both answers that show a case (GET /v1/cases/:id, in its snapshot, and an
 * event's answer), so the two cannot drift apart. One after the other: on a transaction's
 * connection queries cannot overlap.
 */
export async function readCaseViewExtras(em: EntityManager, caseId: string): Promise<CaseViewExtras> {
  const rating = await em.findOne(CaseRatingEntity, { caseId });
  const refunds = await em.find(RefundEntity, { caseId }, { orderBy: { createdAt: 'asc' } });
  const contact = await em.findOne(CustomerContactEntity, { caseId });
  const merchantReachability = await readDisputeMerchantReachability(em, caseId);
  const items = await em.getConnection().execute<Array<{ party: 'merchant' | 'customer'; item: string }>>(EVIDENCE_ITEMS_SQL, [caseId, caseId], 'all', em.getTransactionContext());
  const evidenceItems = {
    merchant: items.filter((row) => row.party === 'merchant').map((row) => row.item),
    customer: items.filter((row) => row.party === 'customer').map((row) => row.item),
  };
  return { rating, refunds, contact, merchantReachability, evidenceItems };
}
