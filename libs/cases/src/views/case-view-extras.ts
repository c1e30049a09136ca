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
}

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
  return { rating, refunds, contact, merchantReachability };
}
