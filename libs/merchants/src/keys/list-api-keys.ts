import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { MerchantApiKeyEntity } from '@app/db';
import { toApiKeyView, type ApiKeyView } from './views';

@Injectable()
export class ListApiKeys {
  constructor(private readonly em: EntityManager) {}

  async execute(merchantId: string): Promise<ApiKeyView[]> {
    const keys = await this.em.fork().find(MerchantApiKeyEntity, { merchantId }, { orderBy: { createdAt: 'desc' } });
    return keys.map(toApiKeyView);
  }
}
