import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

export const ADMIN_PATH = '/admin';

/**
 * Where `npm run build:admin` puts the admin UI: dist/admin, found from this file's place in
 * dist/apps/api/src so that it works from any working directory (npm scripts, Docker).
 */
export const DEFAULT_ADMIN_DIR = resolve(__dirname, '..', '..', '..', 'admin');

/**
 * Serves the built admin UI (apps/admin) at /admin: hashed assets with a long cache, and every
 * other GET under /admin answered with index.html so that deep links (/admin/cases/…) load the
 * single-page app, whose router takes over. Only /admin is touched, so API routes are unaffected.
 * Without a build the API still runs; one log line says why /admin is missing.
 */
export function serveAdminUi(app: NestExpressApplication, directory: string = DEFAULT_ADMIN_DIR): boolean {
  const logger = new Logger('admin');
  const index = join(directory, 'index.html');
  if (!existsSync(index)) {
    logger.warn(`admin UI not served: ${index} does not exist (run "npm run build:admin")`);
    return false;
  }
  app.useStaticAssets(directory, {
    prefix: ADMIN_PATH,
    index: false,
    setHeaders(response: Response, path: string) {
      // Vite names assets by content hash, so they never change; index.html must always be fresh.
      if (path.includes(`${join(directory, 'assets')}`)) response.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
  app.use(ADMIN_PATH, (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    // A missing asset is a 404, not the app: a stale tab asking for an old bundle must fail loudly.
    if (request.path.startsWith('/assets/')) return next();
    response.setHeader('Cache-Control', 'no-cache');
    // If the build vanished since boot (a rebuild in progress), answer 404 rather than a 500.
    response.sendFile(index, (error) => {
      if (error && !response.headersSent) next();
    });
  });
  // The bare host is where people type first; nothing else lives at "/".
  app.use((request: Request, response: Response, next: NextFunction) => (request.method === 'GET' && request.path === '/' ? response.redirect(302, `${ADMIN_PATH}/`) : next()));
  logger.log(`admin UI served at ${ADMIN_PATH} from ${directory}`);
  return true;
}
