import type { IncomingMessage, ServerResponse } from 'node:http';

type RoutedRequest = IncomingMessage & { routePattern?: string };

/**
 * Notes the pattern of the route the HTTP server matched for `request` (the API's first hook does,
 * as each request arrives), for routeOf; undefined when no route matched.
 */
export function recordRoutePattern(request: IncomingMessage, pattern: string | undefined): void {
  (request as RoutedRequest).routePattern = pattern;
}

/**
 * The route a request matched, as its pattern (`/v1/cases/:id/events`), never the raw URL: one
 * metrics series and one span name per route however many cases there are, and no ids, search
 * terms or tokens from a query string in a log line. Requests no route matched are `unmatched` (a
 * scanner's random paths must not create series), and so are 404s of a wildcard route (the admin
 * UI's files, `/admin/*`, answer 404 for a missing asset).
 */
export function routeOf(request: IncomingMessage, response: ServerResponse): string {
  const pattern = (request as RoutedRequest).routePattern;
  if (pattern === undefined || (response.statusCode === 404 && pattern.includes('*'))) return 'unmatched';
  return pattern;
}

/** Probes and scrapes: every few seconds, from machines, about nothing a person asked for. */
export function isProbePath(url: string | undefined): boolean {
  return /^\/(health(\/live|\/ready)?|metrics)(\?|$)/.test(url ?? '');
}
