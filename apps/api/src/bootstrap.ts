import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyBaseLogger, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig, Clock } from '@app/config';
import { HTTP_ERROR_CODES, createValidationPipe, sendError, useJsonBodyReader } from '@app/http';
import { serveAdminUi } from './admin-ui';
import { ApiModule } from './api.module';
import { openApiDocument } from './openapi';
import { mountQueueDashboard } from './queue-dashboard';
import { REQUEST_ID_OPTIONS, addRequestEntryHooks, observeRequest, type RequestEntry } from './request-entry';
import { securityHeaders } from './security-headers';
import { ServerLogController } from './server-log';
import { requireAgentSession } from './require-agent-session';
import { AgentSessions } from '@app/auth';
import { MetricsRegistry } from '@app/ops';
import { appLogger, nestLogger, type AppLogOptions } from '@app/observability';
import { httpMetrics } from './ops/http-metrics';
import { requestLogging } from './ops/request-logging';

/** Where SwaggerModule serves the API's map: the page, its files, and the document as JSON and YAML. */
const DOCS_PATH = 'docs';
const DOCS_PATHS = [`/${DOCS_PATH}`, `/${DOCS_PATH}-json`, `/${DOCS_PATH}-yaml`];

/**
 * Builds the HTTP app exactly as production runs it; tests call this too. Nest on Fastify: on
 * Express, what came before a route cost the API's thread about twice as much (docs/benchmarks.md,
 * round 31).
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
  // Its entry (request-entry.ts), made once the app exists, before the server takes any request.
  const server: { entry?: RequestEntry } = {};
  const adapter = new FastifyAdapter({
    // One proxy in front (the load balancer): request.ip is the address it received the request from.
    trustProxy: 1,
    ...REQUEST_ID_OPTIONS,
    // As the API has always routed: /v1/cases/ is /v1/cases.
    routerOptions: { ignoreTrailingSlash: true },
    // Idle keep-alive connections stay open HTTP_KEEP_ALIVE_SECONDS, not Node's 5 s, so that the
    // proxy in front, not this server, is the side that closes an idle connection: otherwise a
    // request the proxy sends just as Node closes the connection is lost (a 502 for the caller, an
    // ECONNRESET for a client without a proxy). A shutdown still closes idle ones at once (shutdown.ts).
    keepAliveTimeout: config.http.keepAliveMs,
    // A request must have arrived whole within 5 minutes (Node's own default, which Fastify turns
    // off): a client trickling a body or an upload cannot hold a connection for ever.
    requestTimeout: 300_000,
    // What Fastify itself has to say (a download that fails part-way, an error no handler took):
    // warnings and errors only (fewer if LOG_LEVEL says so), into the API's log. Without a logger
    // made per request, as the entry hook avoids one too: these rare lines go without the request's id.
    loggerInstance: logger.child({ context: 'http-server' }, { level: logger.levelVal > logger.levels.values.warn! ? logger.level : 'warn' }),
    childLoggerFactory: (serverLogger: FastifyBaseLogger) => serverLogger,
    logController: new ServerLogController(),
    // A URL the server cannot route (one it cannot decode, a path parameter over 100 characters)
    // is refused before any hook runs: the API's answer and its traces all the same.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      if (server.entry) observeRequest(server.entry, request, reply);
      const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 400;
      sendError(request, reply, status, { code: HTTP_ERROR_CODES[status] ?? 'BAD_REQUEST', message: error.message });
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config, options.clock), adapter, {
    bodyParser: false,
    abortOnError: false,
    logger: nestLogger(logger),
  });
  const fastify = app.getHttpAdapter().getInstance();
  const entry: RequestEntry = {
    log: requestLogging(logger),
    time: httpMetrics(app.get(MetricsRegistry).registry),
    secure: securityHeaders(config),
    em: app.get(MikroORM).em,
  };
  server.entry = entry;
  addRequestEntryHooks(fastify, entry);
  // A small JSON body limit by default: case commands are small; uploads get their own routes.
  // Its refusals reach AllExceptionsFilter through Nest's error handler, with every other error.
  useJsonBodyReader(fastify, config.http.bodyLimitBytes);
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
  SwaggerModule.setup(DOCS_PATH, app, document);
  return app;
}
