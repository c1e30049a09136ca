import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { MerchantRefundPolicyEntity } from '@app/db';
import { requireMerchant, toRefundPolicyView, type RefundPolicyView } from './refund-policy-view';

/** The policy new refund requests of the merchant open under: its own, or the global one. */
@Injectable()
export class GetRefundPolicy {
  constructor(private readonly em: EntityManager) {}

  async execute(merchantId: string): Promise<RefundPolicyView> {
    const em = this.em.fork();
    await requireMerchant(em, merchantId);
    return toRefundPolicyView(merchantId, await em.findOne(MerchantRefundPolicyEntity, { merchantId }));
  }
}
