import { timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DomainError, DomainErrorCode } from '@app/domain';

/**
 * /metrics tells an outsider how busy the desk is and what is failing, so it is not public: with
 * METRICS_TOKEN set, the scraper sends it as a Bearer token (Prometheus `authorization`); without
 * one, it is open only where NODE_ENV says development or test.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.ops.metricsToken;
    if (!expected) {
      if (!this.config.productionSecurity) return true;
      throw new DomainError(DomainErrorCode.Forbidden, 'Set METRICS_TOKEN and scrape with it: /metrics is not public in production.');
    }
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7).trim() : '');
    const wanted = Buffer.from(expected);
    if (given.length === wanted.length && timingSafeEqual(given, wanted)) return true;
    throw new DomainError(DomainErrorCode.Unauthenticated, 'Send the metrics token as a Bearer token.');
  }
}
