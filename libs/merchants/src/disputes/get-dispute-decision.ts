import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { findOwnedDispute, getMerchantDisputeView, toDecisionView, type MerchantDecisionView } from './merchant-dispute-view';

@Injectable()
export class GetDisputeDecision {
  constructor(private readonly em: EntityManager) {}

  async execute(merchantId: string, disputeId: string): Promise<MerchantDecisionView> {
    const em = this.em.fork();
    const entity = await findOwnedDispute(em, merchantId, disputeId);
    return toDecisionView(await getMerchantDisputeView(em, merchantId, disputeId), entity);
  }
}
