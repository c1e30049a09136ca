import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { MerchantEntity } from '@app/db';
import { toMerchantView, type MerchantView } from './views';

@Injectable()
export class ListMerchants {
  constructor(private readonly em: EntityManager) {}

  async execute(): Promise<MerchantView[]> {
    const merchants = await this.em.fork().find(MerchantEntity, {}, { orderBy: { createdAt: 'desc', id: 'asc' }, limit: 1000 });
    return merchants.map(toMerchantView);
  }
}
