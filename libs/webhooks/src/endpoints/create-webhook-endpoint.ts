import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuditLog, type AdminAuditActor } from '@app/audit';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { WebhookEndpointEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { checkedEvents, checkedTargetUrl } from './endpoint-rules';
import { WebhookSecretBox } from '../signing/webhook-secret-box';
import { generateWebhookSecret } from '../signing/webhook-signer';
import { toEndpointView, type WebhookEndpointView } from './views';

export interface CreateWebhookEndpointCommand {
  merchantId: string;
  /** The key's mode: a test endpoint receives only test cases' events. */
  livemode: boolean;
  url: string;
  events: string[];
  description?: string;
}

const MAX_ENDPOINTS_PER_MERCHANT = 16;

/**
 * Registers an endpoint and returns its signing secret; this is the only time it is shown. The
 * admin audit log gets the endpoint's origin and events (never the secret, nor the URL's path and
 * query, which may carry a token) in the same transaction.
 */
@Injectable()
export class CreateWebhookEndpoint {
  constructor(
    private readonly em: EntityManager,
    private readonly secrets: WebhookSecretBox,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(command: CreateWebhookEndpointCommand, actor: AdminAuditActor): Promise<WebhookEndpointView & { secret: string }> {
    const events = checkedEvents(command.events);
    const url = await checkedTargetUrl(command.url, this.config);

    const em = this.em.fork();
    const count = await em.count(WebhookEndpointEntity, { merchantId: command.merchantId, status: { $ne: 'deleted' } });
    if (count >= MAX_ENDPOINTS_PER_MERCHANT) {
      throw new DomainError(DomainErrorCode.ValidationFailed, `At most ${MAX_ENDPOINTS_PER_MERCHANT} webhook endpoints per merchant.`);
    }
    const now = this.clock.now();
    const secret = generateWebhookSecret();
    const id = randomUUID();
    const endpoint = em.create(WebhookEndpointEntity, {
      id,
      merchantId: command.merchantId,
      livemode: command.livemode,
      url: url.toString(),
      description: command.description ?? null,
      events,
      secret: this.secrets.seal(secret, id),
      createdAt: now,
      updatedAt: now,
    });
    this.audit.record(
      em,
      {
        actor,
        action: 'webhook_endpoint.created',
        target: { type: 'webhook_endpoint', id },
        details: { merchantId: command.merchantId, livemode: command.livemode, origin: url.origin, events: endpoint.events },
      },
      now,
    );
    await em.flush();
    return { ...toEndpointView(endpoint), secret };
  }
}
