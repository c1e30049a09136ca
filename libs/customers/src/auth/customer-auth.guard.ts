import { CanActivate, ExecutionContext, Inject, Injectable, createParamDecorator } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { DomainError, DomainErrorCode } from '@app/domain';
import { RateLimiter } from '@app/merchants';
import { verifyCustomerToken } from './customer-token';

export interface AuthenticatedCustomer {
  id: string;
}

type CustomerRequest = FastifyRequest & { customer?: AuthenticatedCustomer; idempotencyScope?: string };

const missing = () => new DomainError(DomainErrorCode.CustomerTokenInvalid, 'Send the customer token minted by the wallet backend as "Authorization: Bearer <token>".');

/**
 * Authenticates customer API requests by the wallet backend's customer token and nothing else:
 * agent sessions and merchant keys are not customer tokens. Routes using it are @Public() for the
 * agent guard. Idempotency keys and the rate limit are per customer, so one customer's retries
 * cannot use up the wallet backend's budget for everybody.
 */
@Injectable()
export class CustomerAuthGuard implements CanActivate {
  constructor(
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rateLimiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<CustomerRequest>();
    const response = context.switchToHttp().getResponse<FastifyReply>();
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    if (!token) throw missing();
    const verified = verifyCustomerToken(token, this.config.customerApi.tokenSecrets, this.clock.now());
    const limit = await this.rateLimiter.hit(`customer:${verified.customerId}`, this.config.customerApi.rateLimitPerMinute);
    response.header('RateLimit-Limit', String(limit.limit));
    response.header('RateLimit-Remaining', String(limit.remaining));
    response.header('RateLimit-Reset', String(limit.resetSeconds));
    if (!limit.allowed) {
      response.header('Retry-After', String(limit.resetSeconds));
      throw new DomainError(DomainErrorCode.RateLimited, `Too many requests for this customer; retry in ${limit.resetSeconds} s.`, { retryAfterSeconds: limit.resetSeconds });
    }
    request.customer = { id: verified.customerId };
    request.idempotencyScope = `customer:${verified.customerId}`;
    return true;
  }
}

export const CurrentCustomer = createParamDecorator((_: unknown, context: ExecutionContext): AuthenticatedCustomer => {
  const customer = context.switchToHttp().getRequest<CustomerRequest>().customer;
  if (!customer) throw missing();
  return customer;
});
