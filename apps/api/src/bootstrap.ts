import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig, Clock } from '@app/config';
import { createValidationPipe, readBodiesAsThisApiDoes, sendError } from '@app/http';
import { serveAdminUi } from './admin-ui';
import { ApiModule } from './api.module';
import { openApiDocument } from './openapi';
import { mountQueueDashboard } from './queue-dashboard';
import { REQUEST_IDS, enterEveryRequest } from './request-entry';
import { securityHeaders } from './security-headers';
import { requireAgentSession } from './require-agent-session';
import { AgentSessions } from '@app/auth';
import { MetricsRegistry } from '@app/ops';
import { REQUEST_ID_HEADER, appLogger, nestLogger, type AppLogOptions } from '@app/observability';
import { httpMetrics } from './ops/http-metrics';
import { requestLogging } from './ops/request-logging';

const DOCS_PATHS = ['/docs', '/docs-json', '/docs-yaml'];

/**
 * Builds the HTTP app exactly as production runs it; tests call this too. Nest on Fastify: the
 * Express adapter cost every request about twice the CPU of everything before its route
 * (docs/benchmarks.md, round 31).
 */
export async function createApiApp(
  config: AppConfig,
  options: {
    /** Where and how much it logs (default: LOG_LEVEL, JSON on stdout). */
    log?: AppLogOptions;
    /** The built admin UI (default dist/admin). */
    adminDir?: string;
    /** Tests: a clock they move. */
    clock?: Clock;
  } = {},
): Promise<INestApplication> {
  const logger = appLogger('api', config.logging, options.log);
  const secure = securityHeaders(config);
  const adapter = new FastifyAdapter({
    // One proxy in front (the load balancer): request.ip is the address it received the request from.
    trustProxy: 1,
    ...REQUEST_IDS,
    // As the API has always routed: /v1/cases/ is /v1/cases.
    routerOptions: { ignoreTrailingSlash: true },
    // Idle keep-alive connections stay open `keepAliveMs` (below).
    keepAliveTimeout: config.http.keepAliveMs,
    // A URL Fastify cannot decode is refused before any hook runs: the API's answer all the same.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      secure(request.raw, reply.raw);
      reply.header(REQUEST_ID_HEADER, request.id);
      sendError(request, reply, 400, { code: 'BAD_REQUEST', message: error.message });
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config, options.clock), adapter, {
    bodyParser: false,
    abortOnError: false,
    logger: nestLogger(logger),
  });
  const fastify = app.getHttpAdapter().getInstance();
  enterEveryRequest(fastify, {
    log: requestLogging(logger),
    time: httpMetrics(app.get(MetricsRegistry).registry),
    secure,
    em: app.get(MikroORM).em,
  });
  // A small JSON body limit by default: case commands are small; uploads get their own routes.
  // Its refusals reach AllExceptionsFilter through Nest's error handler, with every other error.
  readBodiesAsThisApiDoes(fastify, config.http.bodyLimitBytes);
  keepIdleConnections(app.getHttpServer() as Server, config.http.keepAliveMs);
  app.useGlobalPipes(createValidationPipe());
  // No enableShutdownHooks: main.ts handles SIGTERM itself (shutdown.ts), draining HTTP before the app closes.
  await mountQueueDashboard(app);
  await serveAdminUi(app, options.adminDir);
  const document = openApiDocument(app);
  if (!config.ops.docsPublic) {
    // The API's map is for the people who use it: agents (the admin UI's cookie works in a browser).
    // A hook of the docs' own routes (Swagger UI's page, its files, the JSON and YAML), added as
    // SwaggerModule registers them: no other request pays for the check.
    const docsGate = requireAgentSession(app.get(AgentSessions, { strict: false }), 'agent', 'docs');
    fastify.addHook('onRoute', (route) => {
      if (!DOCS_PATHS.some((docs) => route.url === docs || route.url.startsWith(`${docs}/`))) return;
      route.onRequest = [...(route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest]), docsGate];
    });
  }
  SwaggerModule.setup('docs', app, document);
  return app;
}

/**
 * Idle keep-alive connections stay open `keepAliveMs` (HTTP_KEEP_ALIVE_SECONDS), not Node's 5 s, so
 * that the proxy in front, not this server, is the side that closes an idle connection: otherwise
 * a request the proxy sends just as Node closes the connection is lost (a 502 for the caller, an
 * ECONNRESET for a client without a proxy). A shutdown still closes idle connections at once
 * (shutdown.ts).
 */
function keepIdleConnections(server: Server, keepAliveMs: number): void {
  server.keepAliveTimeout = keepAliveMs;
}
