import type { EntityManager } from '@mikro-orm/postgresql';
import { MerchantRefundPolicyEntity } from '@app/db';
import type { RefundPolicy } from '@app/domain';

/**
 * The refund policy a new refund request of this merchant opens under: the merchant's own, or null
 * for the global one. Read before the case is written; the case copies it, so a change made a
 * moment later does not matter to it.
 */
export async function merchantRefundPolicy(em: EntityManager, kind: string, merchantId: string | null | undefined): Promise<RefundPolicy | null> {
  if (kind !== 'refund_request' || !merchantId) return null;
  const row = await em.fork().findOne(MerchantRefundPolicyEntity, { merchantId });
  if (!row) return null;
  return { refundWindowDays: row.refundWindowDays, partialRefundsAllowed: row.partialRefundsAllowed, nonRefundableFeeMinor: row.nonRefundableFeeMinor };
}
