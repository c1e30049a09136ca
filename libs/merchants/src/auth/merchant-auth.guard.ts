import { CanActivate, ExecutionContext, Inject, Injectable, createParamDecorator } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { MerchantApiKeyEntity, MerchantEntity, type ApiKeyKind } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { hashApiKey, looksLikeApiKey } from '../keys/api-key-format';
import { RateLimiter } from './rate-limiter';

export interface AuthenticatedMerchant {
  id: string;
  keyId: string;
  keyKind: ApiKeyKind;
  /** False for a test key: every merchant read and write is then scoped to test-mode data only. */
  livemode: boolean;
}

type MerchantRequest = FastifyRequest & { merchant?: AuthenticatedMerchant; idempotencyScope?: string };

/** last_used_at is a hint for admins, not an audit log: one write per key per minute is plenty. */
const LAST_USED_GRANULARITY_MS = 60_000;
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function unauthenticated(): DomainError {
  return new DomainError(DomainErrorCode.Unauthenticated, 'Send a valid API key as "Authorization: Bearer sk_live_…".');
}

/**
 * Authenticates merchant API requests by API key and nothing else (an agent session is not a
 * merchant), applies the per-key rate limit, and refuses writes with a restricted (rk_) key.
 * Routes using it are @Public() for the agent guard; the two never accept each other's tokens.
 */
@Injectable()
export class MerchantAuthGuard implements CanActivate {
  constructor(
    private readonly em: EntityManager,
    private readonly rateLimiter: RateLimiter,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<MerchantRequest>();
    const response = context.switchToHttp().getResponse<FastifyReply>();
    const header = request.headers.authorization;
    const key = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    if (!key || !looksLikeApiKey(key)) throw unauthenticated();

    const em = this.em.fork();
    const apiKey = await em.findOne(MerchantApiKeyEntity, { keyHash: hashApiKey(key), revokedAt: null });
    const merchant = apiKey ? await em.findOne(MerchantEntity, { id: apiKey.merchantId, active: true }) : null;
    if (!apiKey || !merchant) throw unauthenticated();

    const limit = await this.rateLimiter.hit(`key:${apiKey.id}`, this.config.merchantApi.rateLimitPerMinute);
    response.header('RateLimit-Limit', String(limit.limit));
    response.header('RateLimit-Remaining', String(limit.remaining));
    response.header('RateLimit-Reset', String(limit.resetSeconds));
    if (!limit.allowed) {
      response.header('Retry-After', String(limit.resetSeconds));
      throw new DomainError(DomainErrorCode.RateLimited, `Too many requests for this API key; retry in ${limit.resetSeconds} s.`, {
        retryAfterSeconds: limit.resetSeconds,
      });
    }
    if (apiKey.kind === 'restricted' && !READ_METHODS.has(request.method)) {
      throw new DomainError(DomainErrorCode.Forbidden, 'This restricted (rk_) key may only read; use a secret (sk_) key to make changes.');
    }

    const now = this.clock.now();
    if (!apiKey.lastUsedAt || now.getTime() - apiKey.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
      await em.nativeUpdate(MerchantApiKeyEntity, { id: apiKey.id }, { lastUsedAt: now });
    }
    request.merchant = { id: merchant.id, keyId: apiKey.id, keyKind: apiKey.kind, livemode: apiKey.livemode };
    // Test and live keys never share idempotency keys, as they share no other data.
    request.idempotencyScope = apiKey.livemode ? `merchant:${merchant.id}` : `merchant:${merchant.id}:test`;
    return true;
  }
}

export const CurrentMerchant = createParamDecorator((_: unknown, context: ExecutionContext): AuthenticatedMerchant => {
  const merchant = context.switchToHttp().getRequest<MerchantRequest>().merchant;
  if (!merchant) throw unauthenticated();
  return merchant;
});
