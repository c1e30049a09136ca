import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const ADMIN_PATH = '/admin';

/**
 * Where `npm run build:admin` puts the admin UI: dist/admin, found from this file's place in
 * dist/apps/api/src so that it works from any working directory (npm scripts, Docker).
 */
export const DEFAULT_ADMIN_DIR = resolve(__dirname, '..', '..', '..', 'admin');

/** Vite names assets by content hash, so they never change; index.html must always be fresh. */
const ASSETS = 'assets/';

/**
 * Serves the built admin UI (apps/admin) at /admin: hashed assets with a long cache, the build's
 * other files as they are, and every other GET under /admin answered with index.html so that deep
 * links (/admin/cases/…) load the single-page app, whose router takes over. A missing asset is a
 * 404, not the app: a stale tab asking for an old bundle must fail loudly. Only /admin is touched,
 * so API routes are unaffected; the queue dashboard's routes (/admin/queues) are more specific and
 * win. Without a build the API still runs; one log line says why /admin is missing.
 */
export async function serveAdminUi(app: NestFastifyApplication, directory: string = DEFAULT_ADMIN_DIR): Promise<boolean> {
  const logger = new Logger('admin');
  const index = join(directory, 'index.html');
  if (!existsSync(index)) {
    logger.warn(`admin UI not served: ${index} does not exist (run "npm run build:admin")`);
    return false;
  }
  // The build's own files beside index.html (icons and the like), known at boot as the assets are.
  const topLevelFiles = new Set(
    readdirSync(directory, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name !== 'index.html')
      .map((entry) => entry.name),
  );
  const sendIndex = (reply: FastifyReply) => reply.header('Cache-Control', 'no-cache').sendFile('index.html', { cacheControl: false });
  const server = app.getHttpAdapter().getInstance();
  // In a scope of its own: the static file server's `reply.sendFile` stays here, apart from the
  // queue dashboard's own copy of it.
  await app.register(async (scope: FastifyInstance) => {
    // A route keeps the error handler in place when its scope loads, which is now, before Nest
    // sets the server's (AllExceptionsFilter): its errors (a path that tries to leave the build, a
    // file that cannot be read) are handed to whichever that is when they happen.
    scope.setErrorHandler((error, request, reply) => server.errorHandler(error, request, reply));
    await scope.register(fastifyStatic, { root: directory, serve: false });
    scope.get(ADMIN_PATH, (_request, reply) => sendIndex(reply));
    scope.get(`${ADMIN_PATH}/*`, (request, reply) => {
      const path = (request.params as { '*': string })['*'];
      // If a file vanished since boot (a rebuild in progress), sendFile answers 404 rather than a 500.
      if (path.startsWith(ASSETS)) return reply.sendFile(path, { maxAge: '1y', immutable: true });
      if (topLevelFiles.has(path)) return reply.sendFile(path);
      return sendIndex(reply);
    });
  });
  // The bare host is where people type first; nothing else lives at "/".
  server.get('/', (_request, reply) => reply.redirect(`${ADMIN_PATH}/`, 302));
  logger.log(`admin UI served at ${ADMIN_PATH} from ${directory}`);
  return true;
}
