import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { WebhookEndpointEntity } from '@app/db';
import type { MerchantScope } from '@app/merchants';
import { toEndpointView, type WebhookEndpointView } from './views';

@Injectable()
export class ListWebhookEndpoints {
  constructor(private readonly em: EntityManager) {}

  async execute(merchant: MerchantScope): Promise<{ object: 'list'; data: WebhookEndpointView[] }> {
    const endpoints = await this.em
      .fork()
      .find(WebhookEndpointEntity, { merchantId: merchant.id, livemode: merchant.livemode, status: { $ne: 'deleted' } }, { orderBy: { createdAt: 'asc' } });
    return { object: 'list', data: endpoints.map(toEndpointView) };
  }
}
