import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { WebhookAttemptEntity, WebhookDeliveryEntity, WebhookEndpointEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import type { MerchantScope } from '@app/merchants';
import { UUID, deliveryNotFound, toDeliveryView, type WebhookDeliveryView } from '../endpoints/views';
import { DeliveryScheduler } from './delivery-scheduler';

/**
 * Sends a delivery again on request (e.g. after the merchant fixed their receiver): a new
 * generation with a fresh retry budget, the same body and the same webhook-id, so a receiver that
 * did get it before can recognise the duplicate.
 */
@Injectable()
export class ReplayWebhookDelivery {
  constructor(
    private readonly em: EntityManager,
    private readonly scheduler: DeliveryScheduler,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(merchant: MerchantScope, deliveryId: string): Promise<WebhookDeliveryView> {
    const em = this.em.fork();
    const delivery = UUID.test(deliveryId) ? await em.findOne(WebhookDeliveryEntity, { id: deliveryId, merchantId: merchant.id }) : null;
    if (!delivery) throw deliveryNotFound(deliveryId);
    const endpoint = await em.findOne(WebhookEndpointEntity, { id: delivery.endpointId, livemode: merchant.livemode });
    // A delivery of the other mode is the same 404 as a missing one.
    if (!endpoint) throw deliveryNotFound(deliveryId);
    if (endpoint.status !== 'enabled') {
      throw new DomainError(DomainErrorCode.ValidationFailed, `The endpoint is ${endpoint.status}; enable it first (update it with disabled: false).`, {
        fields: [{ path: 'endpoint', message: endpoint.status }],
      });
    }
    const now = this.clock.now();
    await em.nativeUpdate(WebhookDeliveryEntity, { id: delivery.id }, { status: 'pending', generation: delivery.generation + 1, attempts: 0, nextAttemptAt: now, updatedAt: now });
    await this.scheduler.schedule([{ id: delivery.id, generation: delivery.generation + 1, attempts: 0, nextAttemptAt: now }]);
    em.clear();
    const fresh = await em.findOneOrFail(WebhookDeliveryEntity, { id: delivery.id });
    return toDeliveryView(fresh, await em.find(WebhookAttemptEntity, { deliveryId: delivery.id }, { orderBy: { id: 'asc' } }));
  }
}
