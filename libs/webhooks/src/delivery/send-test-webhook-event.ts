import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { WebhookDeliveryEntity, WebhookEndpointEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { UUID, endpointNotFound, toDeliveryView, toEndpointView, type WebhookDeliveryView } from '../endpoints/views';
import { TEST_EVENT_TYPE } from '../webhook-events';
import { DeliveryScheduler } from './delivery-scheduler';

/**
 * "Send test event": a `webhook_endpoint.test` delivery to one endpoint, whatever it subscribed
 * to, signed and retried like every other and listed with the endpoint's deliveries, so a merchant
 * can check their receiver (URL, TLS, signature check) before a real dispute arrives.
 */
@Injectable()
export class SendTestWebhookEvent {
  constructor(
    private readonly em: EntityManager,
    private readonly scheduler: DeliveryScheduler,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(merchantId: string, endpointId: string): Promise<WebhookDeliveryView> {
    const em = this.em.fork();
    const endpoint = UUID.test(endpointId) ? await em.findOne(WebhookEndpointEntity, { id: endpointId, merchantId, status: { $ne: 'deleted' } }) : null;
    if (!endpoint) throw endpointNotFound(endpointId);
    if (endpoint.status !== 'enabled') {
      throw new DomainError(DomainErrorCode.ValidationFailed, `The endpoint is ${endpoint.status}; enable it first (update it with disabled: false).`, {
        fields: [{ path: 'endpoint', message: endpoint.status }],
      });
    }
    const now = this.clock.now();
    const id = randomUUID();
    const eventId = `evt_${randomUUID().replace(/-/g, '')}`;
    const body = JSON.stringify({ id: eventId, type: TEST_EVENT_TYPE, timestamp: now.toISOString(), data: { object: toEndpointView(endpoint), test: true } });
    const delivery = em.create(WebhookDeliveryEntity, {
      id,
      endpointId: endpoint.id,
      merchantId,
      eventId,
      eventType: TEST_EVENT_TYPE,
      body,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    });
    await em.flush();
    await this.scheduler.schedule([{ id, generation: 0, attempts: 0, nextAttemptAt: now }]);
    return toDeliveryView(delivery, []);
  }
}
