import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { getMerchantRefundRequestView, type MerchantRefundRequestView } from './merchant-refund-request-view';

@Injectable()
export class GetMerchantRefundRequest {
  constructor(private readonly em: EntityManager) {}

  execute(merchantId: string, id: string): Promise<MerchantRefundRequestView> {
    return getMerchantRefundRequestView(this.em.fork(), merchantId, id);
  }
}
