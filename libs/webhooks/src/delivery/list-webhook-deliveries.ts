import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { WebhookAttemptEntity, WebhookDeliveryEntity, WebhookEndpointEntity } from '@app/db';
import { UUID, endpointNotFound, toDeliveryView, type WebhookDeliveryView } from '../endpoints/views';

export interface ListWebhookDeliveriesQuery {
  merchantId: string;
  /** The key's mode: only deliveries to endpoints of that mode are listed. */
  livemode: boolean;
  endpointId?: string;
  eventId?: string;
  limit?: number;
}

/** A merchant's deliveries, newest first, each with every attempt made. */
@Injectable()
export class ListWebhookDeliveries {
  constructor(private readonly em: EntityManager) {}

  async execute(query: ListWebhookDeliveriesQuery): Promise<{ object: 'list'; data: WebhookDeliveryView[] }> {
    if (query.endpointId && !UUID.test(query.endpointId)) throw endpointNotFound(query.endpointId);
    const em = this.em.fork();
    const ofMode = await em.find(WebhookEndpointEntity, { merchantId: query.merchantId, livemode: query.livemode }, { fields: ['id'] });
    const deliveries = await em.find(
      WebhookDeliveryEntity,
      {
        merchantId: query.merchantId,
        endpointId: { $in: ofMode.map((endpoint) => endpoint.id) },
        ...(query.endpointId ? { endpointId: query.endpointId } : {}),
        ...(query.eventId ? { eventId: query.eventId } : {}),
      },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: Math.min(Math.max(query.limit ?? 50, 1), 200) },
    );
    const attempts = deliveries.length ? await em.find(WebhookAttemptEntity, { deliveryId: { $in: deliveries.map((delivery) => delivery.id) } }, { orderBy: { id: 'asc' } }) : [];
    return {
      object: 'list',
      data: deliveries.map((delivery) =>
        toDeliveryView(
          delivery,
          attempts.filter((attempt) => attempt.deliveryId === delivery.id),
        ),
      ),
    };
  }
}
