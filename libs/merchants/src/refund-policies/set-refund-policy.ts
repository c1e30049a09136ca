import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuditLog, changesBetween, type AdminAuditActor } from '@app/audit';
import { Clock } from '@app/config';
import { MerchantRefundPolicyEntity } from '@app/db';
import { DEFAULT_REFUND_POLICY, type RefundPolicy } from '@app/domain';
import { requireMerchant, toRefundPolicyView, type RefundPolicyView } from './refund-policy-view';

const FIELDS = ['refundWindowDays', 'partialRefundsAllowed', 'nonRefundableFeeMinor'] as const;

/**
 * Sets (replaces) the merchant's refund policy; new refund requests open under it, cases in flight
 * keep theirs. Audited with what changed (from the global policy when the merchant had none).
 * The DTO validated the values; the database's checks back it up.
 */
@Injectable()
export class SetRefundPolicy {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(merchantId: string, policy: RefundPolicy, actor: AdminAuditActor): Promise<RefundPolicyView> {
    return this.em.fork().transactional(async (em) => {
      await requireMerchant(em, merchantId);
      const now = this.clock.now();
      const row = await em.findOne(MerchantRefundPolicyEntity, { merchantId });
      const before: RefundPolicy = row ?? { ...DEFAULT_REFUND_POLICY };
      const after: RefundPolicy = {
        refundWindowDays: policy.refundWindowDays,
        partialRefundsAllowed: policy.partialRefundsAllowed,
        nonRefundableFeeMinor: policy.nonRefundableFeeMinor,
      };
      const changes = changesBetween(before, after, FIELDS);
      const saved = row ? Object.assign(row, after, { updatedAt: now }) : em.create(MerchantRefundPolicyEntity, { merchantId, ...after, updatedAt: now });
      this.audit.record(em, { actor, action: 'merchant_refund_policy.set', target: { type: 'merchant', id: merchantId }, details: { created: !row, changes } }, now);
      await em.flush();
      return toRefundPolicyView(merchantId, saved);
    });
  }
}
