import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuditLog, type AdminAuditActor } from '@app/audit';
import { Clock } from '@app/config';
import { WebhookEndpointEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { WebhookSecretBox } from '../signing/webhook-secret-box';
import { generateWebhookSecret } from '../signing/webhook-signer';
import { UUID, endpointNotFound, toEndpointView, type WebhookEndpointView } from './views';

/** How long the replaced secret keeps signing by default, and at most (Stripe lets an old secret live up to a week). */
export const DEFAULT_SECRET_GRACE_SECONDS = 24 * 60 * 60;
export const MAX_SECRET_GRACE_SECONDS = 7 * 24 * 60 * 60;

/**
 * Gives the endpoint a new signing secret, shown this once. The replaced one keeps signing beside
 * it until the grace period ends (Standard Webhooks: several space-separated signatures, one match
 * is enough), so the merchant deploys the new secret without losing a delivery; a grace of 0 ends
 * it at once (a leaked secret). Rotating again during a grace period replaces the older secret.
 * The row is locked, so two rotations at once leave the first's secret as the previous one.
 */
@Injectable()
export class RotateWebhookSecret {
  constructor(
    private readonly em: EntityManager,
    private readonly secrets: WebhookSecretBox,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(merchantId: string, endpointId: string, graceSeconds: number | undefined, actor: AdminAuditActor): Promise<WebhookEndpointView & { secret: string }> {
    const grace = graceSeconds ?? DEFAULT_SECRET_GRACE_SECONDS;
    if (!Number.isInteger(grace) || grace < 0 || grace > MAX_SECRET_GRACE_SECONDS) {
      throw new DomainError(DomainErrorCode.ValidationFailed, `expires_in_seconds must be a whole number from 0 to ${MAX_SECRET_GRACE_SECONDS}.`, {
        fields: [{ path: 'expires_in_seconds', message: `0 to ${MAX_SECRET_GRACE_SECONDS}` }],
      });
    }
    const secret = generateWebhookSecret();
    return this.em.fork().transactional(async (em) => {
      const endpoint = UUID.test(endpointId)
        ? await em.findOne(WebhookEndpointEntity, { id: endpointId, merchantId, status: { $ne: 'deleted' } }, { lockMode: LockMode.PESSIMISTIC_WRITE })
        : null;
      if (!endpoint) throw endpointNotFound(endpointId);
      const now = this.clock.now();
      // Sealed secrets are bound to their endpoint, not to a column: the current one moves as it is.
      endpoint.previousSecret = grace > 0 ? endpoint.secret : null;
      endpoint.previousSecretExpiresAt = grace > 0 ? new Date(now.getTime() + grace * 1000) : null;
      endpoint.secret = this.secrets.seal(secret, endpoint.id);
      endpoint.updatedAt = now;
      this.audit.record(
        em,
        {
          actor,
          action: 'webhook_endpoint.secret_rotated',
          target: { type: 'webhook_endpoint', id: endpoint.id },
          details: { merchantId, previousSecretExpiresAt: endpoint.previousSecretExpiresAt?.toISOString() ?? null },
        },
        now,
      );
      return { ...toEndpointView(endpoint), secret };
    });
  }
}
