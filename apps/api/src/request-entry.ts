import { AsyncResource } from 'node:async_hooks';
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
export const REQUEST_IDS = {
  requestIdHeader: false,
  genReqId: (request: IncomingMessage) => requestIdFrom(request.headers[REQUEST_ID_HEADER.toLowerCase()]),
} as const;

/** The scope a request's work runs in, kept on the request to re-enter once its body is read. */
const scopes = new WeakMap<FastifyRequest, AsyncResource>();

/**
 * What every request goes through before its route, as one hook rather than a chain of middleware
 * (each link of Express's chain cost every request its own dispatch; docs/benchmarks.md, round 31):
 *   1. as it arrives (`onRequest`, before its body is read, so a request whose body is refused is
 *      named, logged, timed and answered with the security headers too): its id, log line, timer,
 *      security headers and route pattern (for the log line, the metrics and the span), then the
 *      rest of its handling in its scope: the request context (its id on every log line, outbox row
 *      and job) and the ORM's request context (a fork of the EntityManager on first use);
 *   2. once its body is read (`preValidation`): back into that scope, because Fastify reads a body
 *      in the request stream's events, which run outside it; then the query string's check.
 */
export function enterEveryRequest(app: FastifyInstance, entry: RequestEntry): void {
  app.addHook('onRequest', (request, reply, done) => {
    recordRoutePattern(request.raw, request.routeOptions.url);
    entry.log(request, reply);
    entry.time(request, reply);
    entry.secure(request.raw, reply.raw);
    withRequestContext({ requestId: request.id }, () =>
      withOrmRequestContext(entry.em, () => {
        scopes.set(request, new AsyncResource('api-request'));
        done();
      }),
    );
  });
  app.addHook('preValidation', (request, reply, done) => {
    const scope = scopes.get(request);
    const next = () => {
      if (!refuseControlCharactersInQuery(request, reply)) done();
    };
    if (scope) scope.runInAsyncScope(next);
    else next();
  });
}
