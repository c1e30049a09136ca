import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DomainError, DomainErrorCode } from '@app/domain';
import { METRICS_REFUSALS, metricsAccess } from '@app/ops';

/** /metrics needs METRICS_TOKEN as a Bearer token, or a development/test environment (see metricsAccess). */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const access = metricsAccess(this.config, context.switchToHttp().getRequest<FastifyRequest>().headers.authorization);
    if (access === 'forbidden') throw new DomainError(DomainErrorCode.Forbidden, METRICS_REFUSALS.forbidden);
    if (access === 'unauthenticated') throw new DomainError(DomainErrorCode.Unauthenticated, METRICS_REFUSALS.unauthenticated);
    return true;
  }
}
