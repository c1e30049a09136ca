import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { getMerchantDisputeView, type MerchantDisputeView, type MerchantScope } from './merchant-dispute-view';

@Injectable()
export class GetMerchantDispute {
  constructor(private readonly em: EntityManager) {}

  execute(merchant: MerchantScope, disputeId: string): Promise<MerchantDisputeView> {
    return getMerchantDisputeView(this.em.fork(), merchant, disputeId);
  }
}
