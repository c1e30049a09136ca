import { createHash, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable, createParamDecorator } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DomainError, DomainErrorCode } from '@app/domain';
import { RateLimiter } from '@app/merchants';

type IntakeRequest = FastifyRequest & { intakeClient?: string; idempotencyScope?: string };

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The wallet backend's service tokens (INTAKE_SERVICE_TOKENS). Compared as SHA-256 digests with
 * timingSafeEqual against every configured token, so neither the length nor the first differing
 * byte of a guess shows in the response time.
 */
@Injectable()
export class IntakeTokenGuard implements CanActivate {
  private readonly tokens: Array<{ name: string; digest: Buffer }>;

  constructor(
    private readonly rateLimiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.tokens = config.merchantApi.intakeTokens.map((token) => ({ name: token.name, digest: digest(token.token) }));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<IntakeRequest>();
    const response = context.switchToHttp().getResponse<FastifyReply>();
    const header = request.headers.authorization;
    const given = digest(header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '');
    let client: string | undefined;
    for (const token of this.tokens) {
      if (timingSafeEqual(token.digest, given) && !client) client = token.name;
    }
    if (!client) throw new DomainError(DomainErrorCode.Unauthenticated, 'Send a valid intake service token as "Authorization: Bearer …".');

    const limit = await this.rateLimiter.hit(`intake:${client}`, this.config.merchantApi.intakeRateLimitPerMinute);
    if (!limit.allowed) {
      response.header('Retry-After', String(limit.resetSeconds));
      throw new DomainError(DomainErrorCode.RateLimited, `Too many intake requests; retry in ${limit.resetSeconds} s.`, { retryAfterSeconds: limit.resetSeconds });
    }
    request.intakeClient = client;
    request.idempotencyScope = `intake:${client}`;
    return true;
  }
}

export const IntakeClient = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const client = context.switchToHttp().getRequest<IntakeRequest>().intakeClient;
  if (!client) throw new DomainError(DomainErrorCode.Unauthenticated, 'Send a valid intake service token.');
  return client;
});
