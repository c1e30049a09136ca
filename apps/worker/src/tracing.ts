import { tracingConfig } from '@app/config';
import { startTracing, type Tracing } from '@app/observability';

/**
 * Imported first by main.ts: OpenTelemetry patches http, pg and ioredis as they load, so it must
 * start before anything loads them. Off (nothing loaded) unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
function start(): Tracing | undefined {
  try {
    return startTracing(tracingConfig(), 'worker');
  } catch {
    // A bad OTEL_* value: main's loadConfig reports it in one line and exits.
    return undefined;
  }
}

export const tracing = start();
