import type { JobsOptions } from 'bullmq';
import type { JobOrigin } from '@app/observability';

/**
 * Every queue and job the system uses, in one place. Names are literals (never class names, so a
 * rename cannot orphan queued jobs); payloads carry ids only and the worker reloads the rows, and
 * where the job came from (JobOrigin: the request id, the trace context), which the worker runs it
 * under (runJob).
 */
export const QUEUES = {
  deadlines: 'deadlines',
  effects: 'effects',
  webhooks: 'webhooks',
  notifications: 'notifications',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  'deadline.fire': { deadlineId: string; caseId: string } & JobOrigin;
  'effect.run': { outboxId: string; caseId: string | null; type: string } & JobOrigin;
  /**
   * Several outbox rows of one batched type (BATCHED_EFFECT_TYPES), each with the origin of the
   * request that wrote it: one BullMQ job costs the worker about as much as the effect itself.
   */
  'effect.batch': { type: string; rows: Array<{ outboxId: string; caseId: string | null } & JobOrigin> };
  /**
   * One HTTP attempt of a webhook delivery; a job for another generation or attempt is stale.
   * merchantId and slotWaits are filled in while it waits for its merchant's delivery slot.
   */
  'webhook.deliver': { deliveryId: string; generation: number; attempt: number; merchantId?: string; slotWaits?: number } & JobOrigin;
  /** One customer notification on one channel (a notification_deliveries row). */
  'notification.deliver': { deliveryId: string } & JobOrigin;
}
export type JobName = keyof JobPayloads;

export const JOB_QUEUE: { readonly [N in JobName]: QueueName } = {
  'deadline.fire': QUEUES.deadlines,
  'effect.run': QUEUES.effects,
  'effect.batch': QUEUES.effects,
  'webhook.deliver': QUEUES.webhooks,
  'notification.deliver': QUEUES.notifications,
};

/** Job names each queue carries; the worker refuses to boot if one has no handler or two. */
export function jobNamesOf(queue: QueueName): JobName[] {
  return (Object.keys(JOB_QUEUE) as JobName[]).filter((name) => JOB_QUEUE[name] === queue);
}

/**
 * Job ids are derived from the row they stand for, so enqueuing twice is a no-op in BullMQ and
 * the reconciler can ask "is this one there?". BullMQ ids may not contain ':' nor be all digits.
 */
export const jobIds = {
  // Compact (25 characters): a pending deadline's id is stored three times in Redis (key, delayed
  // set, job hash), and there can be hundreds of thousands of them.
  deadline: (deadlineId: string) => `dl-${Buffer.from(deadlineId.replace(/-/g, ''), 'hex').toString('base64url')}`,
  effect: (outboxId: string) => `effect-${outboxId}`,
  /** Named after its first row; a row is in one batch at most (the reconciler relays rows as `effect` jobs). */
  effectBatch: (firstOutboxId: string) => `effects-${firstOutboxId}`,
  webhook: (deliveryId: string, generation: number, attempt: number) => `webhook-${deliveryId}-g${generation}-a${attempt}`,
  notification: (deliveryId: string) => `notify-${deliveryId}`,
};

const KEEP_FINISHED = { age: 24 * 3600, count: 50_000 };

/**
 * Retention for the deadlines queue is set once on its worker instead of on every job: job
 * options are stored in each job hash, and pending deadlines are the bulk of what Redis holds.
 */
export const DEADLINE_WORKER_RETENTION = { removeOnComplete: KEEP_FINISHED, removeOnFail: { age: 30 * 24 * 3600 } };

export const JOB_OPTIONS: { readonly [N in JobName]: JobsOptions } = {
  // A firing that loses an optimistic-lock race is retried; the retry sees the new state.
  'deadline.fire': { attempts: 10, backoff: { type: 'exponential', delay: 200 } },
  'effect.run': { attempts: 12, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: KEEP_FINISHED, removeOnFail: false },
  // A row that fails in a batch goes on as an `effect.run` job of its own (with that job's
  // retries), so a batch is retried only when it cannot hand a row on (Redis) or cannot read or
  // mark its rows (PostgreSQL). A batch BullMQ gave up on leaves its rows pending for the
  // reconciler, which relays them one by one; nothing of it needs keeping.
  'effect.batch': { attempts: 8, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } },
  // HTTP failures are not job failures: the processor records them and schedules the next attempt
  // itself (delays from config). BullMQ retries only cover the processor failing (database down).
  // A job that gave up (e.g. database down) must not keep its id, or the sweeper's re-add is ignored;
  // every attempt is logged in webhook_attempts, so nothing is lost by removing it.
  'webhook.deliver': { attempts: 8, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: KEEP_FINISHED, removeOnFail: true },
  // A provider that is down is retried (2 s, 4 s, … about 4 min in all); a refusal for good is not
  // retried. The delivery row records every outcome, so the failed job need not be kept.
  'notification.deliver': { attempts: 8, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: KEEP_FINISHED, removeOnFail: { age: 7 * 24 * 3600 } },
};

/**
 * Effect types whose rows the post-commit dispatcher puts several to a job (`effect.batch`) when
 * they are committed close together. Notifications are most of the outbox and each is cheap to
 * run; refunds and account actions keep a job each, so each keeps its own retries and its place
 * on the queue dashboard.
 */
export const BATCHED_EFFECT_TYPES: ReadonlySet<string> = new Set(['notify']);

/** The most rows one `effect.batch` carries: a batch runs its rows one after another. */
export const EFFECT_BATCH_MAX_ROWS = 50;

/**
 * Whether a `failed` event is BullMQ's last word on the job rather than one attempt of several.
 * BullMQ sets `finishedOn` only when it moves a job to the failed set: out of attempts, an
 * `UnrecoverableError`, or a job that stalled more than `maxStalledCount` times (which BullMQ
 * fails with an `UnrecoverableError` when a worker next picks it up). Counting attempts alone
 * misses the last two.
 */
export function isFinalFailure(job: { finishedOn?: number; attemptsMade: number; opts: { attempts?: number } }): boolean {
  return Boolean(job.finishedOn) || job.attemptsMade >= (job.opts.attempts ?? 1);
}
