import type { ServerResponse } from 'node:http';
import { trace } from '@opentelemetry/api';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger as PinoInstance } from 'pino';
import { REQUEST_ID_HEADER, isProbePath, routeOf } from '@app/observability';

/** Who made the request, as the guards recorded it: ids only, never a name or an email. */
interface ActorFields {
  agent?: { id: string };
  merchant?: { id: string };
  customer?: { id: string };
  intakeClient?: string;
}

function actorOf(request: FastifyRequest): { kind: string; id: string } | undefined {
  const { agent, merchant, customer, intakeClient } = request as FastifyRequest & ActorFields;
  if (agent) return { kind: 'agent', id: agent.id };
  if (merchant) return { kind: 'merchant', id: merchant.id };
  if (customer) return { kind: 'customer', id: customer.id };
  if (intakeClient) return { kind: 'intake', id: intakeClient };
  return undefined;
}

/**
 * The fields of a request's line. No URL (the route's pattern stands for it: no ids from a query
 * string, no search terms), no headers (credentials, cookies, API and idempotency keys), no body
 * (customers' names, emails, phones, their words).
 */
function requestFields(request: FastifyRequest, response: ServerResponse, durationMs: number) {
  const actor = actorOf(request);
  return {
    method: request.method,
    route: routeOf(request.raw, response),
    status: response.statusCode,
    durationMs,
    ...(actor ? { actor } : {}),
    // The client went away before the whole answer was sent.
    ...(response.writableFinished ? {} : { aborted: true }),
  };
}

/**
 * First for every request (request-entry.ts): answers with the request's id in X-Request-Id (the
 * caller's if it is safe, else a new UUID: the server's `genReqId`) and puts it on the request's
 * span, and writes one line when the answer is sent or the connection ends first (5xx and errors
 * at warn, probes at debug). First, so that a request whose body is refused is named and logged
 * too.
 *
 * Written by hand rather than with pino-http: that made two child loggers per request (which
 * nothing here uses: code logs through the request's context) and serialized them, about a sixth
 * of what every request cost the API's thread (docs/benchmarks.md, round 12). The line's fields
 * are the same.
 */
export function requestLogging(root: PinoInstance): (request: FastifyRequest, reply: FastifyReply) => void {
  return (request, reply) => {
    const requestId = request.id;
    const response = reply.raw;
    response.setHeader(REQUEST_ID_HEADER, requestId);
    // While tracing is on, the request's span is findable by the id too.
    trace.getActiveSpan()?.setAttribute('app.request_id', requestId);
    const startedAt = Date.now();
    const logLine = (error?: Error) => {
      response.off('finish', logLine);
      response.off('close', logLine);
      response.off('error', logLine);
      const failed = error !== undefined || response.statusCode >= 500;
      // Probes and scrapes: at debug, so that they do not drown the requests people made.
      const level = isProbePath(request.url) ? 'debug' : failed ? 'warn' : 'info';
      if (!root.isLevelEnabled(level)) return;
      // The error itself is logged where it was caught (the exception filter, with its error id).
      root[level]({ requestId, ...requestFields(request, response, Date.now() - startedAt) }, failed ? 'request failed' : 'request completed');
    };
    response.on('finish', logLine);
    response.on('close', logLine);
    response.on('error', logLine);
  };
}
