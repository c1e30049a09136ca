import { randomUUID } from 'node:crypto';
import type { Logger as PinoInstance } from 'pino';
import { contextSlot } from './context-slots';

/** The header a caller may name its request with, and the API answers with. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * Letters, digits and `. _ : / + = @ -`, at most 128: enough for a UUID, a ULID or a gateway's
 * trace-style id, and nothing that could break a log line, a header or a SQL console (no spaces,
 * quotes, control characters).
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:/+=@-]{1,128}$/;

/** The caller's request id if it is safe to carry everywhere; anything else is replaced. */
export function acceptRequestId(raw: unknown): string | undefined {
  return typeof raw === 'string' && SAFE_REQUEST_ID.test(raw) ? raw : undefined;
}

/** The caller's request id if acceptable, else a new UUID. */
export function requestIdFrom(raw: unknown): string {
  return acceptRequestId(raw) ?? randomUUID();
}

/**
 * What code running for one request (or one job a request caused) knows about its origin.
 * `bindings` go on every log line written inside it; `logger` is the child logger made from them,
 * created on first use by the process's logger (see ContextualPinoLogger).
 */
export interface RequestContext {
  requestId?: string;
  bindings: Record<string, unknown>;
  logger?: PinoInstance;
}

/**
 * One slot of the process's storage (context-slots.ts) for the request context, ours rather than nestjs-pino's: the request id is
 * not only for logs. Use cases deep in libs/cases write it on outbox rows, and whatever enqueues a
 * job (post-commit dispatch, webhook and notification schedulers) puts it in the job's data, so a
 * job run by the worker opens the same context again and everything it writes and enqueues carries
 * the id on. Passing the id by hand through every command, use case and scheduler would touch
 * every signature for something none of them decides on. nestjs-pino's own storage is filled only
 * by its Express middleware (this API runs on Fastify) and never in a worker; its logger reads this
 * context instead (logger.ts).
 */
const storage = contextSlot<RequestContext>();

/** Runs `work` with this request (or job) context; everything it awaits or starts inherits it. */
export function withRequestContext<T>(context: { requestId?: string; bindings?: Record<string, unknown> }, work: () => T): T {
  const bindings = context.bindings ?? (context.requestId ? { requestId: context.requestId } : {});
  return storage.run({ requestId: context.requestId, bindings }, work);
}

/** The id of the request this code runs for (directly, or through the jobs it caused), if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** The context itself, for the logger. */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
