import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { WebhookAttemptEntity, WebhookDeliveryEntity, WebhookEndpointEntity } from '@app/db';
import type { JobPayloads } from '@app/queues';
import { WebhookSecretBox } from '../signing/webhook-secret-box';
import { webhookHeaders } from '../signing/webhook-signer';
import { DeliveryScheduler } from './delivery-scheduler';
import { postWebhook } from './http-sender';

export type AttemptOutcome = 'stale' | 'succeeded' | 'retrying' | 'failed';

/** ±20 %: spreads a burst of retries (an endpoint that was down for everyone) over time. */
const jitter = (ms: number) => Math.round(ms * (0.8 + Math.random() * 0.4));

/**
 * One HTTP attempt of one delivery. The attempt is claimed in PostgreSQL first (attempts moves
 * from n-1 to n only once), so a duplicate job never sends twice; every attempt is logged; the
 * next one is scheduled with exponential delays and jitter (WEBHOOK_RETRY_DELAYS_MS). A 410 Gone
 * disables the endpoint at once, as does failing without a single success for
 * WEBHOOK_DISABLE_AFTER_SECONDS.
 */
@Injectable()
export class AttemptWebhookDelivery {
  private readonly logger = new Logger(AttemptWebhookDelivery.name);

  constructor(
    private readonly em: EntityManager,
    private readonly scheduler: DeliveryScheduler,
    private readonly secrets: WebhookSecretBox,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(job: JobPayloads['webhook.deliver']): Promise<AttemptOutcome> {
    const em = this.em.fork();
    const settings = this.config.webhooks;
    const claimedAt = this.clock.now();
    // A lease: if this process dies mid-attempt, the sweeper schedules the next attempt after it.
    const lease = new Date(claimedAt.getTime() + settings.timeoutMs + 60_000);
    const claimed = await em.nativeUpdate(
      WebhookDeliveryEntity,
      { id: job.deliveryId, status: 'pending', generation: job.generation, attempts: job.attempt - 1 },
      { attempts: job.attempt, nextAttemptAt: lease, updatedAt: claimedAt },
    );
    if (claimed !== 1) return 'stale';
    const delivery = await em.findOneOrFail(WebhookDeliveryEntity, { id: job.deliveryId });
    const endpoint = await em.findOneOrFail(WebhookEndpointEntity, { id: delivery.endpointId });
    const giveUp = async (lastError: string): Promise<AttemptOutcome> => {
      await em.nativeUpdate(WebhookDeliveryEntity, { id: delivery.id, generation: job.generation }, { status: 'failed', nextAttemptAt: null, lastError, updatedAt: claimedAt });
      return 'failed';
    };
    if (endpoint.status !== 'enabled') return giveUp(`endpoint ${endpoint.status}`);
    let secret: string;
    try {
      secret = this.secrets.open(endpoint.secret, endpoint.id);
    } catch (error) {
      // Nothing to sign with (its key left WEBHOOK_SECRET_KEYS too early): retrying cannot help.
      // Failed shows in /metrics; restore the key, then replay the delivery.
      this.logger.error(`webhook delivery ${delivery.id}: the endpoint's signing secret cannot be opened: ${(error as Error).message}`);
      return giveUp(`signing secret cannot be opened: ${(error as Error).message}`);
    }

    const sentAt = this.clock.now();
    const previousSecrets = this.previousSecretsOf(endpoint, sentAt);
    const result = await postWebhook({
      url: endpoint.url,
      headers: webhookHeaders({ id: delivery.eventId, timestamp: Math.floor(sentAt.getTime() / 1000), body: delivery.body, secret, previousSecrets }),
      body: delivery.body,
      timeoutMs: settings.timeoutMs,
      allowPrivate: settings.allowPrivateTargets,
    });
    const now = this.clock.now();
    em.create(WebhookAttemptEntity, {
      deliveryId: delivery.id,
      generation: job.generation,
      attempt: job.attempt,
      attemptedAt: sentAt,
      durationMs: result.durationMs,
      statusCode: result.statusCode,
      error: result.error,
      responseExcerpt: result.responseExcerpt,
    });
    await em.flush();

    const succeeded = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const lastError = succeeded ? null : (result.error ?? `HTTP ${result.statusCode}`);
    if (succeeded) {
      await em.nativeUpdate(
        WebhookDeliveryEntity,
        { id: delivery.id, generation: job.generation },
        { status: 'succeeded', succeededAt: now, nextAttemptAt: null, lastStatusCode: result.statusCode, lastError: null, updatedAt: now },
      );
      await em.nativeUpdate(WebhookEndpointEntity, { id: endpoint.id, failingSince: { $ne: null } }, { failingSince: null, updatedAt: now });
      return 'succeeded';
    }

    const failingSince = endpoint.failingSince ?? now;
    if (!endpoint.failingSince) await em.nativeUpdate(WebhookEndpointEntity, { id: endpoint.id, failingSince: null }, { failingSince: now, updatedAt: now });
    const disableReason =
      result.statusCode === 410
        ? 'the endpoint answered 410 Gone'
        : now.getTime() - failingSince.getTime() >= settings.disableAfterMs
          ? `no successful delivery since ${failingSince.toISOString()}`
          : null;
    if (disableReason) {
      await em.nativeUpdate(WebhookEndpointEntity, { id: endpoint.id, status: 'enabled' }, { status: 'disabled', disabledReason: disableReason, updatedAt: now });
    }
    const retryIn = settings.retryDelaysMs[job.attempt - 1];
    if (disableReason || retryIn === undefined) {
      await em.nativeUpdate(
        WebhookDeliveryEntity,
        { id: delivery.id, generation: job.generation },
        { status: 'failed', nextAttemptAt: null, lastStatusCode: result.statusCode, lastError: disableReason ?? lastError, updatedAt: now },
      );
      return 'failed';
    }
    const nextAttemptAt = new Date(now.getTime() + jitter(retryIn));
    // A replay (new generation) started meanwhile owns the row now; this older attempt must not overwrite it.
    await em.nativeUpdate(WebhookDeliveryEntity, { id: delivery.id, generation: job.generation }, { nextAttemptAt, lastStatusCode: result.statusCode, lastError, updatedAt: now });
    await this.scheduler.schedule([{ id: delivery.id, generation: job.generation, attempts: job.attempt, nextAttemptAt }]);
    return 'retrying';
  }

  /** The secret a rotation replaced, while its grace period runs; one that cannot be opened only costs its signature. */
  private previousSecretsOf(endpoint: WebhookEndpointEntity, at: Date): string[] {
    if (!endpoint.previousSecret || !endpoint.previousSecretExpiresAt || endpoint.previousSecretExpiresAt.getTime() <= at.getTime()) return [];
    try {
      return [this.secrets.open(endpoint.previousSecret, endpoint.id)];
    } catch (error) {
      this.logger.warn(`webhook endpoint ${endpoint.id}: the previous signing secret cannot be opened: ${(error as Error).message}`);
      return [];
    }
  }
}
