import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuditLog, type AdminAuditActor } from '@app/audit';
import { Clock } from '@app/config';
import { WebhookEndpointEntity } from '@app/db';
import type { MerchantScope } from '@app/merchants';
import { UUID, endpointNotFound, toEndpointView, type WebhookEndpointView } from './views';

/**
 * Stops deliveries to the endpoint. The row stays (status `deleted`) so its delivery log remains
 * readable; pending deliveries fail on their next attempt. The admin audit log gets the deletion
 * in the same transaction.
 */
@Injectable()
export class DeleteWebhookEndpoint {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(merchant: MerchantScope, endpointId: string, actor: AdminAuditActor): Promise<WebhookEndpointView> {
    const em = this.em.fork();
    const endpoint = UUID.test(endpointId)
      ? await em.findOne(WebhookEndpointEntity, { id: endpointId, merchantId: merchant.id, livemode: merchant.livemode, status: { $ne: 'deleted' } })
      : null;
    if (!endpoint) throw endpointNotFound(endpointId);
    endpoint.status = 'deleted';
    endpoint.updatedAt = this.clock.now();
    this.audit.record(
      em,
      {
        actor,
        action: 'webhook_endpoint.deleted',
        target: { type: 'webhook_endpoint', id: endpoint.id },
        details: { merchantId: merchant.id, origin: new URL(endpoint.url).origin },
      },
      endpoint.updatedAt,
    );
    await em.flush();
    return toEndpointView(endpoint);
  }
}
