import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The route a request matched, as its pattern (`/v1/cases/:id/events`), never the raw URL: one
 * metrics series and one span name per route however many cases there are, and no ids, search
 * terms or tokens from a query string in a log line. Requests no route matched are `unmatched` (a
 * scanner's random paths must not create series); the admin UI's files and other mounted handlers
 * without a pattern count under their mount point (`/admin/*`). Read once the answer is sent
 * (Express sets `route` and `baseUrl` while it routes).
 */
export function routeOf(request: IncomingMessage, response: ServerResponse): string {
  const routed = request as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
  const pattern = routed.route && typeof routed.route.path === 'string' ? `${routed.baseUrl ?? ''}${routed.route.path}` : undefined;
  // Nest answers unknown paths from a catch-all route (`/{*all}`): that is no route either.
  if (response.statusCode === 404 && (pattern === undefined || pattern.includes('*'))) return 'unmatched';
  if (pattern !== undefined) return pattern;
  return routed.baseUrl ? `${routed.baseUrl}/*` : 'unmatched';
}

/** Probes and scrapes: every few seconds, from machines, about nothing a person asked for. */
export function isProbePath(url: string | undefined): boolean {
  return /^\/(health(\/live|\/ready)?|metrics)(\?|$)/.test(url ?? '');
}
