import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuditLog, type AdminAuditActor } from '@app/audit';
import { Clock } from '@app/config';
import { MerchantRefundPolicyEntity } from '@app/db';
import { requireMerchant, toRefundPolicyView, type RefundPolicyView } from './refund-policy-view';

/** Back to the global policy for new refund requests; audited only when there was one to remove. */
@Injectable()
export class RemoveRefundPolicy {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(merchantId: string, actor: AdminAuditActor): Promise<RefundPolicyView> {
    return this.em.fork().transactional(async (em) => {
      await requireMerchant(em, merchantId);
      const row = await em.findOne(MerchantRefundPolicyEntity, { merchantId });
      if (row) {
        const removed = { refundWindowDays: row.refundWindowDays, partialRefundsAllowed: row.partialRefundsAllowed, nonRefundableFeeMinor: row.nonRefundableFeeMinor };
        this.audit.record(em, { actor, action: 'merchant_refund_policy.removed', target: { type: 'merchant', id: merchantId }, details: { removed } }, this.clock.now());
        em.remove(row);
        await em.flush();
      }
      return toRefundPolicyView(merchantId, null);
    });
  }
}
