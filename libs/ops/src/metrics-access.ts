import { timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '@app/config';

export type MetricsAccess = 'allowed' | 'unauthenticated' | 'forbidden';

/**
 * Who may read /metrics (API) and the worker's /metrics: it tells an outsider how busy the desk is
 * and what is failing, so it is not public. With METRICS_TOKEN set, the scraper sends it as a
 * Bearer token (Prometheus `authorization`); without one, it is open only where NODE_ENV says
 * development or test (`forbidden` otherwise).
 */
export function metricsAccess(config: AppConfig, authorization: string | undefined): MetricsAccess {
  const expected = config.ops.metricsToken;
  if (!expected) return config.productionSecurity ? 'forbidden' : 'allowed';
  const header = authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7).trim() : '');
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted) ? 'allowed' : 'unauthenticated';
}

/** What the refusal says, the same from the API and from the worker's probe port. */
export const METRICS_REFUSALS = {
  forbidden: 'Set METRICS_TOKEN and scrape with it: /metrics is not public in production.',
  unauthenticated: 'Send the metrics token as a Bearer token.',
} as const;
