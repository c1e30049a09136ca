import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { findOwnedDispute, getMerchantDisputeView, toDecisionView, type MerchantDecisionView, type MerchantScope } from './merchant-dispute-view';

@Injectable()
export class GetDisputeDecision {
  constructor(private readonly em: EntityManager) {}

  async execute(merchant: MerchantScope, disputeId: string): Promise<MerchantDecisionView> {
    const em = this.em.fork();
    const entity = await findOwnedDispute(em, merchant, disputeId);
    return toDecisionView(await getMerchantDisputeView(em, merchant, disputeId), entity);
  }
}
