import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { WebhookEndpointEntity } from '@app/db';
import { UUID, endpointNotFound, toEndpointView, type WebhookEndpointView } from './views';

/**
 * Stops deliveries to the endpoint. The row stays (status `deleted`) so its delivery log remains
 * readable; pending deliveries fail on their next attempt.
 */
@Injectable()
export class DeleteWebhookEndpoint {
  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(merchantId: string, endpointId: string): Promise<WebhookEndpointView> {
    const em = this.em.fork();
    const endpoint = UUID.test(endpointId) ? await em.findOne(WebhookEndpointEntity, { id: endpointId, merchantId, status: { $ne: 'deleted' } }) : null;
    if (!endpoint) throw endpointNotFound(endpointId);
    endpoint.status = 'deleted';
    endpoint.updatedAt = this.clock.now();
    await em.flush();
    return toEndpointView(endpoint);
  }
}
