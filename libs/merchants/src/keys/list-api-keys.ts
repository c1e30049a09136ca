import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { MerchantApiKeyEntity, UUID_PATTERN, decodeCursor, isIsoInstant, pageOf, pageSize, type Page } from '@app/db';
import { toApiKeyView, type ApiKeyView } from './views';

/** A merchant's keys, newest first (revoked ones too, marked), a page at a time. */
@Injectable()
export class ListApiKeys {
  constructor(private readonly em: EntityManager) {}

  async execute(merchantId: string, query: { cursor?: string; limit?: number } = {}): Promise<Page<ApiKeyView>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, 2, ([created, id]) => isIsoInstant(created!) && UUID_PATTERN.test(id!)) : undefined;
    const where = {
      merchantId,
      ...(after ? { $or: [{ createdAt: { $lt: new Date(after[0]!) } }, { createdAt: new Date(after[0]!), id: { $lt: after[1]! } }] } : {}),
    };
    const keys = await this.em.fork().find(MerchantApiKeyEntity, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: limit + 1 });
    return pageOf(keys, limit, (key) => [key.createdAt.toISOString(), key.id], toApiKeyView);
  }
}
