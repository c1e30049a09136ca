import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { MerchantScope } from '../disputes/merchant-dispute-view';
import { getMerchantRefundRequestView, type MerchantRefundRequestView } from './merchant-refund-request-view';

@Injectable()
export class GetMerchantRefundRequest {
  constructor(private readonly em: EntityManager) {}

  execute(merchant: MerchantScope, id: string): Promise<MerchantRefundRequestView> {
    return getMerchantRefundRequestView(this.em.fork(), merchant, id);
  }
}
