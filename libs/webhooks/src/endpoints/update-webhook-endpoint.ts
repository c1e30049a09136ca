import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuditLog, type AdminAuditActor } from '@app/audit';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { WebhookEndpointEntity } from '@app/db';
import { checkedEvents, checkedTargetUrl } from './endpoint-rules';
import { UUID, endpointNotFound, toEndpointView, type WebhookEndpointView } from './views';

export interface UpdateWebhookEndpointCommand {
  merchantId: string;
  endpointId: string;
  url?: string;
  events?: string[];
  /** null clears it. */
  description?: string | null;
  /** true stops deliveries; false turns a disabled endpoint (a 410, or failing for days) back on. */
  disabled?: boolean;
}

/**
 * Changes an endpoint in place (Stripe's update): the same URL and event rules as on create, the
 * SSRF guard included; the signing secret stays. Deliveries already created keep their body and go
 * to the endpoint's URL as it is when they are attempted. The admin audit log gets what changed
 * (the URL's origin only, as on create) in the same transaction.
 */
@Injectable()
export class UpdateWebhookEndpoint {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(command: UpdateWebhookEndpointCommand, actor: AdminAuditActor): Promise<WebhookEndpointView> {
    // Checked before anything is read or locked: refused input changes nothing.
    const events = command.events === undefined ? undefined : checkedEvents(command.events);
    const url = command.url === undefined ? undefined : await checkedTargetUrl(command.url, this.config);
    return this.em.fork().transactional(async (em) => {
      const endpoint = UUID.test(command.endpointId)
        ? await em.findOne(WebhookEndpointEntity, { id: command.endpointId, merchantId: command.merchantId, status: { $ne: 'deleted' } }, { lockMode: LockMode.PESSIMISTIC_WRITE })
        : null;
      if (!endpoint) throw endpointNotFound(command.endpointId);
      const now = this.clock.now();
      const changed: Record<string, unknown> = {};
      if (url) {
        endpoint.url = url.toString();
        changed.origin = url.origin;
      }
      if (events) endpoint.events = changed.events = events;
      if (command.description !== undefined) endpoint.description = changed.description = command.description;
      if (command.disabled === true && endpoint.status === 'enabled') {
        endpoint.status = changed.status = 'disabled';
        endpoint.disabledReason = 'disabled by the merchant';
      } else if (command.disabled === false && endpoint.status === 'disabled') {
        endpoint.status = changed.status = 'enabled';
        endpoint.disabledReason = null;
        // A fresh start: the days-without-success count begins again with the next failure.
        endpoint.failingSince = null;
      }
      if (Object.keys(changed).length === 0) return toEndpointView(endpoint);
      endpoint.updatedAt = now;
      this.audit.record(
        em,
        { actor, action: 'webhook_endpoint.updated', target: { type: 'webhook_endpoint', id: endpoint.id }, details: { merchantId: command.merchantId, ...changed } },
        now,
      );
      return toEndpointView(endpoint);
    });
  }
}
