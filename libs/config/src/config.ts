import { DEFAULT_WINDOWS, type CaseWindows } from '@app/domain';

/**
 * The whole runtime configuration, read from the environment once at boot (loadConfig) and
 * injected as APP_CONFIG. Nothing else in the code base reads process.env.
 */
export interface AppConfig {
  env: 'development' | 'test' | 'production';
  http: { host: string; port: number; bodyLimit: string };
  database: { url: string; poolMax: number; debug: boolean };
  redis: { host: string; port: number; password?: string; db: number };
  queues: {
    /** BullMQ key prefix. Braces make it a Redis Cluster hash tag so a queue's keys share a slot. */
    prefix: string;
  };
  workers: {
    /** Run the BullMQ workers inside the API process (one-command demo). */
    inProcess: boolean;
    deadlineConcurrency: number;
    effectConcurrency: number;
    /** How often each worker checks that every pending deadline and outbox row is in Redis. */
    reconcileIntervalMs: number;
    /** Outbox rows not relayed after this long are picked up by the periodic relay. */
    outboxRelayAfterMs: number;
  };
  windows: CaseWindows;
  auth: { sessionTtlHours: number; cookieSecure: boolean };
  refunds: {
    /** The simulated gateway refuses refunds of transactions whose reference starts with this. */
    simulateFailurePrefix: string;
  };
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** A window in seconds from the environment, e.g. DISPUTE_MERCHANT_RESPONSE_SECONDS=30 for a demo. */
function windowMs(env: Env, name: string, fallbackMs: number): number {
  return int(env, name, Math.round(fallbackMs / 1000), 1) * 1000;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = (env.NODE_ENV ?? 'development') as AppConfig['env'];
  if (!['development', 'test', 'production'].includes(nodeEnv)) throw new ConfigError(`NODE_ENV "${nodeEnv}" is not supported`);
  return {
    env: nodeEnv,
    http: { host: env.HOST ?? '0.0.0.0', port: int(env, 'PORT', 3000), bodyLimit: env.HTTP_BODY_LIMIT ?? '100kb' },
    database: {
      url: env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/dispute_engine',
      poolMax: int(env, 'DATABASE_POOL_MAX', 20, 1),
      debug: bool(env, 'DATABASE_DEBUG', false),
    },
    redis: {
      host: env.REDIS_HOST ?? '127.0.0.1',
      port: int(env, 'REDIS_PORT', 6379, 1),
      password: env.REDIS_PASSWORD || undefined,
      db: int(env, 'REDIS_DB', 0),
    },
    queues: { prefix: env.QUEUE_PREFIX ?? '{dispute-engine}' },
    workers: {
      inProcess: bool(env, 'RUN_WORKERS_IN_PROCESS', false),
      deadlineConcurrency: int(env, 'DEADLINE_WORKER_CONCURRENCY', 10, 1),
      effectConcurrency: int(env, 'EFFECT_WORKER_CONCURRENCY', 10, 1),
      reconcileIntervalMs: int(env, 'RECONCILE_INTERVAL_MS', 30_000, 100),
      outboxRelayAfterMs: int(env, 'OUTBOX_RELAY_AFTER_MS', 5_000, 0),
    },
    windows: {
      merchantResponseMs: windowMs(env, 'DISPUTE_MERCHANT_RESPONSE_SECONDS', DEFAULT_WINDOWS.merchantResponseMs),
      infoReplyMs: windowMs(env, 'INFO_REPLY_SECONDS', DEFAULT_WINDOWS.infoReplyMs),
      appealWindowMs: windowMs(env, 'APPEAL_WINDOW_SECONDS', DEFAULT_WINDOWS.appealWindowMs),
      refundRetryMs: windowMs(env, 'REFUND_RETRY_SECONDS', DEFAULT_WINDOWS.refundRetryMs),
      customerReplyMs: windowMs(env, 'CUSTOMER_REPLY_SECONDS', DEFAULT_WINDOWS.customerReplyMs),
    },
    auth: {
      sessionTtlHours: int(env, 'SESSION_TTL_HOURS', 12, 1),
      cookieSecure: bool(env, 'COOKIE_SECURE', nodeEnv === 'production'),
    },
    refunds: { simulateFailurePrefix: env.SIMULATE_REFUND_FAILURE_PREFIX ?? 'FAIL-REFUND' },
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
