import type { IncomingMessage, RequestOptions, ServerResponse } from 'node:http';
import type * as SdkNode from '@opentelemetry/sdk-node';
import type * as HttpInstrumentationModule from '@opentelemetry/instrumentation-http';
import type * as IORedisInstrumentationModule from '@opentelemetry/instrumentation-ioredis';
import type * as PgInstrumentationModule from '@opentelemetry/instrumentation-pg';
import { isProbePath, routeOf } from './route-of';

export interface TracingSettings {
  /** Where spans go (OTEL_EXPORTER_OTLP_ENDPOINT); unset: tracing is off and no SDK is loaded. */
  endpoint?: string;
  /** OTEL_SERVICE_NAME, else `dispute-engine-<process>`. */
  serviceName?: string;
}

export interface Tracing {
  /** Exports the spans still buffered; call last on shutdown. */
  shutdown(): Promise<void>;
}

function urlWithoutQuery(options: RequestOptions): string {
  const host = options.hostname ?? options.host ?? 'localhost';
  const port = options.port ? `:${options.port}` : '';
  return `${options.protocol ?? 'http:'}//${host}${port}${(options.path ?? '/').split('?')[0]}`;
}

/**
 * Starts OpenTelemetry for this process when an OTLP endpoint is configured: spans for incoming
 * and outgoing HTTP, PostgreSQL queries and Redis commands (these two only inside a traced request
 * or job, not the pollers' and timers' own), exported over OTLP (http/protobuf by default;
 * OTEL_EXPORTER_OTLP_PROTOCOL=http/json or grpc) in batches. The SDK reads the standard OTEL_*
 * variables itself (sampler, headers, batch delays). Traces only: metrics are Prometheus's
 * (/metrics), and logs go to stdout.
 *
 * Must run before anything loads http, pg or ioredis: main.ts imports the file that calls this
 * first. Without an endpoint it returns at once, and the SDK is never even loaded.
 */
export function startTracing(settings: TracingSettings, processName: string): Tracing | undefined {
  if (!settings.endpoint) return undefined;
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on */
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof SdkNode;
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof HttpInstrumentationModule;
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof PgInstrumentationModule;
  const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis') as typeof IORedisInstrumentationModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const sdk = new NodeSDK({
    serviceName: settings.serviceName ?? `dispute-engine-${processName}`,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes: no spans.
        ignoreIncomingRequestHook: (request) => isProbePath(request.url),
        // Query strings carry search terms (a customer's name or phone) and, in merchants' webhook
        // URLs, their own tokens: spans keep the path only.
        startIncomingSpanHook: (request) => (request.url?.includes('?') ? { 'url.query': '[redacted]' } : {}),
        startOutgoingSpanHook: (options) => ({ 'url.full': urlWithoutQuery(options) }),
        // Server spans are named by the route pattern, as the request log line and the metrics are.
        applyCustomAttributesOnSpan: (span, request, response) => {
          // Outgoing calls get this hook too: only a server's response can be written to.
          if (typeof (response as ServerResponse).writeHead !== 'function') return;
          const route = routeOf(request as IncomingMessage, response as ServerResponse);
          span.setAttribute('http.route', route);
          span.updateName(`${(request as IncomingMessage).method} ${route}`);
        },
      }),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
