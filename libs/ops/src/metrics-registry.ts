import { Injectable } from '@nestjs/common';
import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Prometheus registry of one process (the API's /metrics, the worker's probe port). One per
 * Nest application rather than prom-client's global one, so two apps in one process (tests) never
 * register the same metric twice.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The Prometheus text exposition of every metric, read now. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
