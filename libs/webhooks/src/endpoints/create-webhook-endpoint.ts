import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuditLog, type AdminAuditActor } from '@app/audit';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { WebhookEndpointEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { WebhookSecretBox } from '../signing/webhook-secret-box';
import { generateWebhookSecret } from '../signing/webhook-signer';
import { ForbiddenTargetError, assertPublicTarget } from '../ssrf/address-policy';
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES, isWebhookEventType } from '../webhook-events';
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

function refused(message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError(DomainErrorCode.WebhookTargetRefused, message, { fields: [{ path: 'url', message }], ...details });
}

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
    const unknown = command.events.filter((event) => event !== ALL_EVENTS && !isWebhookEventType(event));
    if (command.events.length === 0 || unknown.length) {
      throw new DomainError(DomainErrorCode.ValidationFailed, 'Unknown webhook event types.', {
        fields: [{ path: 'events', message: `each one of ${WEBHOOK_EVENT_TYPES.join(', ')} or "*"` }],
        unknown,
      });
    }
    let url: URL;
    try {
      url = new URL(command.url);
    } catch {
      throw refused('The URL is not a valid absolute URL.');
    }
    const schemes = this.config.productionSecurity ? ['https:'] : ['https:', 'http:'];
    if (!schemes.includes(url.protocol)) throw refused(`The URL must use ${schemes.join(' or ')}.`);
    if (url.username || url.password) throw refused('The URL must not contain credentials.');
    try {
      await assertPublicTarget(url, this.config.webhooks.allowPrivateTargets);
    } catch (error) {
      if (error instanceof ForbiddenTargetError) {
        // A literal IP is the caller's own; what a hostname resolves to may be an internal DNS
        // answer, which the caller must not learn from us.
        if (isIP(url.hostname.replace(/^\[|\]$/g, ''))) throw refused(error.message, { addressClass: error.addressClass });
        throw refused(`The host ${url.hostname} resolves to an address webhooks may not target; use a public host.`);
      }
      throw refused(`The host ${url.hostname} does not resolve.`);
    }

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
      events: [...new Set(command.events)],
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
