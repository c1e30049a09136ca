import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Histogram, type Registry } from 'prom-client';

/**
 * The route a request matched, as its pattern (`/v1/cases/:id/events`), never the raw URL: one
 * series per route, however many cases there are. Requests no route matched are `unmatched` (a
 * scanner's random paths must not create series); the admin UI's files and other mounted
 * handlers without a pattern count under their mount point (`/admin/*`).
 */
function routeOf(request: Request, response: Response): string {
  // Express types `route` as any: say what is read of it.
  const route = (request as { route?: { path?: unknown } }).route;
  const pattern = route && typeof route.path === 'string' ? `${request.baseUrl}${route.path}` : undefined;
  // Nest answers unknown paths from a catch-all route (`/{*all}`): that is no route either.
  if (response.statusCode === 404 && (pattern === undefined || pattern.includes('*'))) return 'unmatched';
  if (pattern !== undefined) return pattern;
  return request.baseUrl ? `${request.baseUrl}/*` : 'unmatched';
}

/** Request duration by method, route pattern and status, from the first byte in to the last byte out (or the client going away). */
export function httpMetrics(registry: Registry): RequestHandler {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status: how long from arrival to the answer sent',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (request: Request, response: Response, next: NextFunction) => {
    const end = duration.startTimer();
    response.once('close', () => end({ method: request.method, route: routeOf(request, response), status: String(response.statusCode) }));
    next();
  };
}
