import type { EntityManager } from '@mikro-orm/postgresql';
import { MerchantEntity, MerchantRefundPolicyEntity } from '@app/db';
import { DEFAULT_REFUND_POLICY, DomainError, DomainErrorCode } from '@app/domain';

export interface RefundPolicyView {
  merchantId: string;
  /** `merchant`: the merchant's own policy; `global`: none is set, the global one applies. */
  source: 'merchant' | 'global';
  refundWindowDays: number;
  partialRefundsAllowed: boolean;
  /** Kept back from every refund, in the purchase currency's minor units. */
  nonRefundableFeeMinor: number;
  updatedAt: string | null;
}

export function toRefundPolicyView(merchantId: string, row: MerchantRefundPolicyEntity | null): RefundPolicyView {
  if (!row) return { merchantId, source: 'global', ...DEFAULT_REFUND_POLICY, updatedAt: null };
  return {
    merchantId,
    source: 'merchant',
    refundWindowDays: row.refundWindowDays,
    partialRefundsAllowed: row.partialRefundsAllowed,
    nonRefundableFeeMinor: row.nonRefundableFeeMinor,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The merchant must exist: a policy for a merchant nobody registered would never apply. */
export async function requireMerchant(em: EntityManager, merchantId: string): Promise<void> {
  if (!(await em.count(MerchantEntity, { id: merchantId }))) throw new DomainError(DomainErrorCode.NotFound, `No merchant ${merchantId}.`, { merchantId });
}
