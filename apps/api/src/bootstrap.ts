import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MikroORM } from '@mikro-orm/postgresql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { AppConfig, Clock } from '@app/config';
import { bodyParserErrors, createValidationPipe, rejectControlCharactersInQuery, verifyJsonBody } from '@app/http';
import { serveAdminUi } from './admin-ui';
import { ApiModule } from './api.module';
import { openApiDocument } from './openapi';
import { mountQueueDashboard } from './queue-dashboard';
import { applySecurityHeaders } from './security-headers';
import { requireAgentSession } from './session-middleware';
import { AgentSessions } from '@app/auth';
import { withOrmRequestContext } from '@app/db';
import { MetricsRegistry } from '@app/ops';
import { appLogger, nestLogger, type AppLogOptions } from '@app/observability';
import { httpMetrics } from './ops/http-metrics';
import { requestLogging } from './ops/request-logging';

/** Builds the HTTP app exactly as production runs it; tests call this too. */
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
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config, options.clock), {
    bodyParser: false,
    abortOnError: false,
    logger: nestLogger(logger),
  });
  // First: every request gets its id (X-Request-Id) and its log line, including those the body
  // parser or a guard refuses.
  app.use(requestLogging(logger));
  // Before the body parser, so that every request is timed, including those it or a guard refuses.
  app.use(httpMetrics(app.get(MetricsRegistry).registry));
  // Before the body parser too, so that its refusals and the query check's carry the headers.
  applySecurityHeaders(app, config);
  // A small JSON body limit by default: case commands are small; uploads get their own routes.
  // verifyJsonBody keeps the bytes as received in request.rawBody (wallet callbacks are verified over
  // them). Nest's own `rawBody: true` would replace this verify hook, and with it the body checks.
  app.useBodyParser('json', { limit: config.http.bodyLimit, verify: verifyJsonBody });
  app.use(bodyParserErrors);
  app.use(rejectControlCharactersInQuery);
  // Each request's own EntityManager, forked only if the request uses it (most never do).
  const orm = app.get(MikroORM);
  app.use((_request: unknown, _response: unknown, next: () => void) => withOrmRequestContext(orm.em, next));
  app.set('trust proxy', 1);
  keepIdleConnections(app.getHttpServer() as Server, config.http.keepAliveMs);
  app.useGlobalPipes(createValidationPipe());
  // No enableShutdownHooks: main.ts handles SIGTERM itself (shutdown.ts), draining HTTP before the app closes.
  // Before the admin UI: its single-page fallback would otherwise answer /admin/queues with index.html.
  mountQueueDashboard(app);
  serveAdminUi(app, options.adminDir);
  const document = openApiDocument(app);
  if (!config.ops.docsPublic) {
    // The API's map is for the people who use it: agents (the admin UI's cookie works in a browser).
    const docsGate = requireAgentSession(app.get(AgentSessions, { strict: false }), 'agent', 'docs');
    app.use(['/docs', '/docs-json', '/docs-yaml'], docsGate);
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
