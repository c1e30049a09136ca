import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { getMerchantDisputeView, type MerchantDisputeView } from './merchant-dispute-view';

@Injectable()
export class GetMerchantDispute {
  constructor(private readonly em: EntityManager) {}

  execute(merchantId: string, disputeId: string): Promise<MerchantDisputeView> {
    return getMerchantDisputeView(this.em.fork(), merchantId, disputeId);
  }
}
