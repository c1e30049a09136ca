import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { MerchantEntity, decodeCursor, isIsoInstant, pageOf, pageSize, type Page } from '@app/db';
import { MERCHANT_ID_PATTERN } from './merchant-id';
import { toMerchantView, type MerchantView } from './views';

/** Merchants, newest first, a page at a time. */
@Injectable()
export class ListMerchants {
  constructor(private readonly em: EntityManager) {}

  async execute(query: { cursor?: string; limit?: number } = {}): Promise<Page<MerchantView>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, 2, ([created, id]) => isIsoInstant(created!) && MERCHANT_ID_PATTERN.test(id!)) : undefined;
    const where = after ? { $or: [{ createdAt: { $lt: new Date(after[0]!) } }, { createdAt: new Date(after[0]!), id: { $gt: after[1]! } }] } : {};
    const merchants = await this.em.fork().find(MerchantEntity, where, { orderBy: { createdAt: 'desc', id: 'asc' }, limit: limit + 1 });
    return pageOf(merchants, limit, (merchant) => [merchant.createdAt.toISOString(), merchant.id], toMerchantView);
  }
}
