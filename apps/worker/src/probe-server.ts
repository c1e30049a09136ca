import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { DomainErrorCode } from '@app/domain';
import { METRICS_REFUSALS, MetricsRegistry, ReadinessProbe, metricsAccess } from '@app/ops';

export interface ProbeServer {
  /** The port it listens on (WORKER_PROBE_PORT, or the one picked for 0). */
  port: number;
  close(): Promise<void>;
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}

/**
 * The worker's only HTTP: GET /health/live (the event loop answers), GET /health/ready (as the
 * API's: PostgreSQL, Redis, migrations, not shutting down) and GET /metrics (this worker's jobs
 * and process, with METRICS_TOKEN as for the API). A plain node:http server: the worker has no
 * routes, guards or body parsing to share with the API.
 */
export async function startProbeServer(app: INestApplicationContext, config: AppConfig): Promise<ProbeServer> {
  const readiness = app.get(ReadinessProbe);
  const metrics = app.get(MetricsRegistry);

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return json(response, 404, { code: DomainErrorCode.NotFound, message: 'The worker answers GET /health/live, /health/ready and /metrics only.' });
    }
    switch (path) {
      case '/health/live':
        return json(response, 200, { status: 'ok' });
      case '/health/ready': {
        const report = await readiness.check();
        return json(response, report.status === 'ok' ? 200 : 503, report);
      }
      case '/metrics': {
        const access = metricsAccess(config, request.headers.authorization);
        if (access === 'forbidden') return json(response, 403, { code: DomainErrorCode.Forbidden, message: METRICS_REFUSALS.forbidden });
        if (access === 'unauthenticated') return json(response, 401, { code: DomainErrorCode.Unauthenticated, message: METRICS_REFUSALS.unauthenticated });
        const text = await metrics.render();
        response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(text);
        return;
      }
      default:
        return json(response, 404, { code: DomainErrorCode.NotFound, message: 'The worker answers GET /health/live, /health/ready and /metrics only.' });
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A probe must answer, even about its own failure: 503, so the orchestrator stops trusting this worker.
      if (!response.headersSent) json(response, 503, { code: 'SERVICE_UNAVAILABLE', message: error instanceof Error ? error.message : String(error) });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.ops.workerProbePort, config.http.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
