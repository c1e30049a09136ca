import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EntityManager } from '@mikro-orm/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { withOrmRequestContext } from '@app/db';
import { refuseControlCharactersInQuery } from '@app/http';
import { REQUEST_ID_HEADER, recordRoutePattern, requestIdFrom, withRequestContext } from '@app/observability';

type RequestStep = (request: FastifyRequest, reply: FastifyReply) => void;

export interface RequestEntry {
  /** Names the request and writes its log line (requestLogging). */
  log: RequestStep;
  /** Times it (httpMetrics). */
  time: RequestStep;
  /** Sets the security headers of its surface (securityHeaders). */
  secure: (request: IncomingMessage, response: ServerResponse) => void;
  /** The ORM's root EntityManager: each request gets its own fork of it on first use. */
  em: EntityManager;
}

/**
 * How the server names each request (Fastify's `request.id`): the caller's X-Request-Id if it is
 * safe, else a new UUID (requestIdFrom). Fastify's own reading of the header is off.
 */
export const REQUEST_ID_OPTIONS = {
  requestIdHeader: false,
  genReqId: (request: IncomingMessage) => requestIdFrom(request.headers[REQUEST_ID_HEADER.toLowerCase()]),
} as const;

/**
 * What every answer carries and every request leaves behind, whoever answers it: the request's
 * route pattern (for its log line, its metrics and its span), its log line, its timer and the
 * security headers of its surface. The entry hook runs it; so does the server's answer to a URL
 * it cannot route (bootstrap.ts, `frameworkErrors`), which no hook sees.
 */
export function observeRequest(entry: RequestEntry, request: FastifyRequest, reply: FastifyReply): void {
  recordRoutePattern(request.raw, request.routeOptions.url);
  entry.log(request, reply);
  entry.time(request, reply);
  entry.secure(request.raw, reply.raw);
}

/**
 * What every request goes through before its route, as one hook rather than a chain of middleware
 * (each link of Express's chain cost every request its own dispatch; docs/benchmarks.md, round 31):
 *   1. as it arrives (`onRequest`, before its body is read, so that a request whose body is refused
 *      is named, logged, timed and answered with the security headers too): observeRequest, then
 *      the rest of its handling in its scopes: the request context (its id on every log line,
 *      outbox row and job) and the ORM's request context (a fork of the EntityManager on first
 *      use). Fastify keeps them across the body's reading: it binds the parser's callback to the
 *      context the request was in;
 *   2. once its body is read (`preValidation`): the query string's check.
 */
export function addRequestEntryHooks(app: FastifyInstance, entry: RequestEntry): void {
  app.addHook('onRequest', (request, reply, done) => {
    observeRequest(entry, request, reply);
    withRequestContext({ requestId: request.id }, () => withOrmRequestContext(entry.em, done));
  });
  app.addHook('preValidation', (request, reply, done) => {
    if (!refuseControlCharactersInQuery(request, reply)) done();
  });
}
