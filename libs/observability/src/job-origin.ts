import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Span, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { acceptRequestId, currentRequestId, withRequestContext } from './request-context';

/**
 * Where a job came from, carried in its data: the request that caused it (directly, or through the
 * jobs before it), and the trace context of the span that enqueued it. Payloads otherwise carry
 * ids only; these two are what a job needs to log and trace as part of its request.
 */
export interface JobOrigin {
  requestId?: string;
  /** W3C trace context (https://www.w3.org/TR/trace-context/); only while tracing is on. */
  traceparent?: string;
  tracestate?: string;
}

const TRACE_KEYS = ['traceparent', 'tracestate'] as const;
const setter: TextMapSetter<JobOrigin> = {
  set(carrier, key, value) {
    if ((TRACE_KEYS as readonly string[]).includes(key)) carrier[key as (typeof TRACE_KEYS)[number]] = value;
  },
};
const getter: TextMapGetter<JobOrigin> = {
  keys: (carrier) => TRACE_KEYS.filter((key) => typeof carrier[key] === 'string'),
  get: (carrier, key) => ((TRACE_KEYS as readonly string[]).includes(key) ? carrier[key as (typeof TRACE_KEYS)[number]] : undefined),
};

/**
 * The origin to put in the data of a job enqueued now: the current request's id (or `requestId`,
 * e.g. the one an outbox row was written with) and, while tracing is on, the current span's
 * context. Without a tracing SDK the propagator is a no-op and adds nothing.
 */
export function jobOrigin(requestId: string | null | undefined = currentRequestId()): JobOrigin {
  const origin: JobOrigin = requestId ? { requestId } : {};
  propagation.inject(context.active(), origin, setter);
  return origin;
}

/** What runJob needs of a BullMQ job. */
export interface RunnableJob {
  id?: string;
  name: string;
  queueName: string;
  data: unknown;
  attemptsMade: number;
}

const tracer = trace.getTracer('dispute-engine');
const log = new Logger('Job');

/**
 * BullMQ's DelayedError (a job that moved itself back to delayed, not a failure), known by name:
 * importing bullmq here would load ioredis before main.ts has started tracing (this lib is the
 * first thing it imports).
 */
const isPostponement = (error: unknown) => error instanceof Error && error.name === 'DelayedError';

/**
 * Runs `work` in the context of a job's request: its lines carry the request id, the queue, the
 * job's name and id (and `more`). runJob uses it; so does what is logged about a job outside its
 * run, such as BullMQ giving up on it.
 */
export function withJobContext<T>(job: RunnableJob, work: () => T, more: Record<string, unknown> = {}): T {
  const requestId = acceptRequestId((job.data as JobOrigin | undefined)?.requestId);
  const bindings = { ...(requestId ? { requestId } : {}), queue: job.queueName, job: job.name, jobId: job.id, ...more };
  return withRequestContext({ requestId, bindings }, work);
}

/**
 * Runs one job as part of the request that caused it: a consumer span continuing the enqueuer's
 * trace, and the request context (its id) around the work, so that every line logged, every
 * outbox row written and every job enqueued under it carries the id on. Writes one line when the
 * job is done (or an attempt failed), with the request id, queue, job, attempt and duration.
 */
export function runJob<T>(job: RunnableJob, work: () => Promise<T>): Promise<T> {
  const origin = (job.data ?? {}) as JobOrigin;
  const requestId = acceptRequestId(origin.requestId);
  const parent = propagation.extract(ROOT_CONTEXT, origin, getter);
  const attributes = {
    'messaging.system': 'bullmq',
    'messaging.operation.type': 'process',
    'messaging.destination.name': job.queueName,
    'messaging.message.id': job.id ?? '',
    ...(requestId ? { 'app.request_id': requestId } : {}),
  };
  const run = async (span: Span): Promise<T> => {
    const started = performance.now();
    const durationMs = () => Math.round(performance.now() - started);
    try {
      const outcome = await work();
      log.log({ durationMs: durationMs(), ...(typeof outcome === 'string' ? { outcome } : {}) }, `${job.name} done`);
      return outcome;
    } catch (error) {
      if (isPostponement(error)) {
        log.debug({ durationMs: durationMs() }, `${job.name} postponed`);
      } else {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
        log.warn({ durationMs: durationMs(), err: error }, `${job.name} attempt failed`);
      }
      throw error;
    } finally {
      span.end();
    }
  };
  return tracer.startActiveSpan(`${job.queueName} process`, { kind: SpanKind.CONSUMER, attributes }, parent, (span) =>
    withJobContext(job, () => run(span), { attempt: job.attemptsMade + 1 }),
  );
}
