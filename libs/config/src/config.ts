import { createHash } from 'node:crypto';
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
  /**
   * Windows set explicitly in the environment. They win over SLA policies: that is how a demo or a
   * test shortens a seven-day merchant window to seconds without editing policies.
   */
  windowOverrides: Partial<CaseWindows>;
  auth: { sessionTtlHours: number; cookieSecure: boolean };
  refunds: {
    /** The simulated gateway refuses refunds of transactions whose reference starts with this. */
    simulateFailurePrefix: string;
  };
  /** Merchant API keys and the wallet backend's intake tokens. */
  merchantApi: {
    /** Requests per key per fixed one-minute window before a 429. */
    rateLimitPerMinute: number;
    /** `name:token` pairs from INTAKE_SERVICE_TOKENS; the name is recorded as the caller. */
    intakeTokens: Array<{ name: string; token: string }>;
    intakeRateLimitPerMinute: number;
    /** How long a stored idempotent response is kept (at least 24 hours, as Stripe promises). */
    idempotencyTtlHours: number;
  };
  evidence: {
    /**
     * Where the local-disk storage adapter keeps files: never a folder the HTTP server serves.
     * With S3 storage only the upload parser's temporary files live here (under `.incoming`).
     */
    storageDir: string;
    /** Which EvidenceStorage adapter is bound: local disk (default) or an S3-compatible bucket. */
    storage: EvidenceStorageConfig;
    maxFileBytes: number;
    /** All evidence files of one case together. */
    maxCaseBytes: number;
    maxFilesPerRequest: number;
    /**
     * Stored files no evidence row refers to (a crash between storing and committing) and upload
     * scratch files are removed once older than this; far longer than any upload transaction.
     */
    orphanGraceMs: number;
    /** How often a worker looks for such orphans. */
    sweepIntervalMs: number;
  };
  webhooks: {
    /** Tests and local development deliver to 127.0.0.1; production must leave this off (SSRF). */
    allowPrivateTargets: boolean;
    /** Delay before each retry; the sum is the retry horizon (about 3 days by default). */
    retryDelaysMs: number[];
    timeoutMs: number;
    /** An endpoint failing without a single success for this long is disabled. */
    disableAfterMs: number;
    concurrency: number;
    /**
     * 32-byte keys that seal the endpoints' signing secrets at rest (WEBHOOK_SECRET_KEYS); the first
     * seals, all open. Required unless NODE_ENV is development or test (a public key stands in).
     */
    secretKeys: Buffer[];
  };
  /** The wallet's API (the engine's requests to it are signed with apiSecret). */
  wallet: {
    baseUrl: string;
    /** HMAC secret of engine → wallet requests (WALLET_API_SECRET); empty: nothing is sent to the wallet. */
    apiSecret: string;
  };
  /** Customer notifications: channels, and the keys that seal customers' contact details. */
  notifications: {
    /** The wallet's notification service (app push and SMS), `POST {url}/v1/notifications`. */
    walletNotifyUrl: string;
    /** `smtp://user:pass@host:port` (or smtps://); unset with no emailDir: email is not sent. */
    smtpUrl?: string;
    smtpFrom: string;
    /** The demo's mailbox: emails are written here as .eml files instead of sent. */
    emailDir?: string;
    timeoutMs: number;
    concurrency: number;
    /**
     * 32-byte keys sealing customers' phone numbers, addresses and openids at rest (PII_KEYS); the
     * first seals, all open. Required unless NODE_ENV is development or test.
     */
    piiKeys: Buffer[];
    /** WeChat official-account template messages; unset: no WeChat channel. */
    wechat?: { apiUrl: string; appId: string; appSecret: string; templateId: string };
  };
}

export type EvidenceStorageConfig =
  | { kind: 'local' }
  | {
      kind: 's3';
      /** Custom endpoint for MinIO, Aliyun OSS, Tencent COS…; unset means AWS S3 itself. */
      endpoint?: string;
      region: string;
      bucket: string;
      /** Static keys; unset means the AWS SDK's default credential chain (env, profile, IAM role). */
      credentials?: { accessKeyId: string; secretAccessKey: string };
      /** `endpoint/bucket/key` URLs instead of `bucket.endpoint/key` (most self-hosted stores). */
      forcePathStyle: boolean;
    };

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

function intakeTokens(raw: string | undefined): Array<{ name: string; token: string }> {
  if (!raw) return [];
  return raw.split(',').map((pair) => {
    const at = pair.indexOf(':');
    const name = pair.slice(0, at).trim();
    const token = pair.slice(at + 1).trim();
    if (at <= 0 || !/^[a-z0-9_-]{1,64}$/i.test(name) || token.length < 24) {
      throw new ConfigError('INTAKE_SERVICE_TOKENS must be comma-separated name:token pairs with tokens of at least 24 characters');
    }
    return { name, token };
  });
}

/** S3 bucket names: 3-63 lowercase letters, digits, dots and hyphens (also OSS's and COS's rules). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function evidenceStorage(env: Env): EvidenceStorageConfig {
  const kind = env.EVIDENCE_STORAGE || 'local';
  if (kind === 'local') return { kind };
  if (kind !== 's3') throw new ConfigError(`EVIDENCE_STORAGE must be "local" or "s3", got "${kind}"`);
  const bucket = env.S3_BUCKET;
  if (!bucket) throw new ConfigError('EVIDENCE_STORAGE=s3 needs S3_BUCKET (the private bucket evidence files are written to)');
  if (!BUCKET.test(bucket)) throw new ConfigError(`S3_BUCKET must be a bucket name (3-63 lowercase letters, digits, dots, hyphens), got "${bucket}"`);
  const endpoint = env.S3_ENDPOINT || undefined;
  if (endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol)) throw new ConfigError(`S3_ENDPOINT must be an http(s) URL, got "${endpoint}"`);
  }
  const accessKeyId = env.S3_ACCESS_KEY_ID || undefined;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY || undefined;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new ConfigError('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both, or neither to use the default AWS credential chain');
  }
  return {
    kind,
    endpoint,
    region: env.S3_REGION || 'us-east-1',
    bucket,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', endpoint !== undefined),
  };
}

/** 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, then 12 h five times: about 3 days 4 h in all. */
const DEFAULT_WEBHOOK_RETRY_DELAYS_MS = [5, 30, 120, 600, 1800, 3600, 7200, 14_400, 28_800, 43_200, 43_200, 43_200, 43_200, 43_200].map((s) => s * 1000);

function delays(env: Env, name: string, fallback: number[]): number[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((value) => !Number.isSafeInteger(value) || value < 0)) {
    throw new ConfigError(`${name} must be comma-separated non-negative integers (milliseconds), got "${raw}"`);
  }
  return values;
}

const WINDOW_VARIABLES: Record<keyof CaseWindows, string> = {
  merchantResponseMs: 'DISPUTE_MERCHANT_RESPONSE_SECONDS',
  infoReplyMs: 'INFO_REPLY_SECONDS',
  appealWindowMs: 'APPEAL_WINDOW_SECONDS',
  refundRetryMs: 'REFUND_RETRY_SECONDS',
  customerReplyMs: 'CUSTOMER_REPLY_SECONDS',
};

/**
 * Stands in when NODE_ENV says development or test, so demos and tests need no setup. It is in
 * this file for anyone to read: it must never seal a real secret, so production refuses it.
 */
const DEVELOPMENT_WEBHOOK_KEY = createHash('sha256').update('dispute-engine development webhook secret key (not for production)').digest();

const HOW_TO_MAKE_A_KEY = '32 random bytes, base64 (e.g. `openssl rand -base64 32`); comma-separated to rotate, newest first';

/** The same idea for customers' contact details: a public key of its own, never used in production. */
const DEVELOPMENT_PII_KEY = createHash('sha256').update('dispute-engine development customer contact key (not for production)').digest();

function webhookSecretKeys(raw: string | undefined, declaredEnv: string | undefined): Buffer[] {
  return sealingKeys('WEBHOOK_SECRET_KEYS', raw, declaredEnv, DEVELOPMENT_WEBHOOK_KEY);
}

function sealingKeys(name: string, raw: string | undefined, declaredEnv: string | undefined, developmentKey: Buffer): Buffer[] {
  if (raw === undefined || raw.trim() === '') {
    // Only when the environment says so: a process started against a real database with NODE_ENV
    // forgotten must not seal secrets under a key anyone can read.
    if (declaredEnv === 'development' || declaredEnv === 'test') return [developmentKey];
    throw new ConfigError(
      declaredEnv === 'production'
        ? `${name} is required in production: ${HOW_TO_MAKE_A_KEY}`
        : `${name} is not set: set it (${HOW_TO_MAKE_A_KEY}), or NODE_ENV=development to use the public development key`,
    );
  }
  const keys = raw.split(',').map((part, index) => {
    const key = Buffer.from(part.trim(), 'base64');
    if (key.length !== 32) throw new ConfigError(`${name}: key ${index + 1} must be 32 bytes in base64, got ${key.length} bytes`);
    return key;
  });
  if (declaredEnv === 'production' && keys.some((key) => key.equals(developmentKey))) {
    throw new ConfigError(`${name} holds the public development key, which production refuses`);
  }
  return keys;
}

function httpUrl(env: Env, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol)) throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

function wechat(env: Env): AppConfig['notifications']['wechat'] {
  const appId = env.WECHAT_APP_ID || undefined;
  if (!appId) return undefined;
  const appSecret = env.WECHAT_APP_SECRET;
  const templateId = env.WECHAT_TEMPLATE_ID;
  if (!appSecret || !templateId) throw new ConfigError('WECHAT_APP_ID needs WECHAT_APP_SECRET and WECHAT_TEMPLATE_ID (the official account\'s template message)');
  return { apiUrl: httpUrl(env, 'WECHAT_API_URL', 'https://api.weixin.qq.com'), appId, appSecret, templateId };
}

function smtpUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!/^smtps?:\/\//.test(raw)) throw new ConfigError(`SMTP_URL must be an smtp:// or smtps:// URL`);
  return raw;
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
    windows: Object.fromEntries(
      Object.entries(WINDOW_VARIABLES).map(([key, name]) => [key, windowMs(env, name, DEFAULT_WINDOWS[key as keyof CaseWindows])]),
    ) as unknown as CaseWindows,
    windowOverrides: Object.fromEntries(
      Object.entries(WINDOW_VARIABLES)
        .filter(([, name]) => env[name] !== undefined && env[name] !== '')
        .map(([key, name]) => [key, windowMs(env, name, 0)]),
    ),
    auth: {
      sessionTtlHours: int(env, 'SESSION_TTL_HOURS', 12, 1),
      cookieSecure: bool(env, 'COOKIE_SECURE', nodeEnv === 'production'),
    },
    refunds: { simulateFailurePrefix: env.SIMULATE_REFUND_FAILURE_PREFIX ?? 'FAIL-REFUND' },
    merchantApi: {
      rateLimitPerMinute: int(env, 'MERCHANT_RATE_LIMIT_PER_MINUTE', 300, 1),
      intakeTokens: intakeTokens(env.INTAKE_SERVICE_TOKENS),
      intakeRateLimitPerMinute: int(env, 'INTAKE_RATE_LIMIT_PER_MINUTE', 1200, 1),
      idempotencyTtlHours: int(env, 'IDEMPOTENCY_TTL_HOURS', 24, 24),
    },
    evidence: {
      storageDir: env.STORAGE_DIR ?? './var/evidence',
      storage: evidenceStorage(env),
      maxFileBytes: int(env, 'EVIDENCE_MAX_FILE_BYTES', 10 * 1024 * 1024, 1),
      maxCaseBytes: int(env, 'EVIDENCE_MAX_CASE_BYTES', 30 * 1024 * 1024, 1),
      maxFilesPerRequest: int(env, 'EVIDENCE_MAX_FILES_PER_REQUEST', 5, 1),
      // At least 15 minutes: far beyond any upload's transaction, and clock skew with a bucket.
      orphanGraceMs: int(env, 'EVIDENCE_ORPHAN_GRACE_SECONDS', 3600, 900) * 1000,
      sweepIntervalMs: int(env, 'EVIDENCE_SWEEP_INTERVAL_SECONDS', 3600, 1) * 1000,
    },
    webhooks: {
      allowPrivateTargets: bool(env, 'WEBHOOK_ALLOW_PRIVATE_TARGETS', false),
      retryDelaysMs: delays(env, 'WEBHOOK_RETRY_DELAYS_MS', DEFAULT_WEBHOOK_RETRY_DELAYS_MS),
      timeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100),
      disableAfterMs: int(env, 'WEBHOOK_DISABLE_AFTER_SECONDS', 5 * 24 * 3600, 1) * 1000,
      concurrency: int(env, 'WEBHOOK_WORKER_CONCURRENCY', 10, 1),
      secretKeys: webhookSecretKeys(env.WEBHOOK_SECRET_KEYS, env.NODE_ENV),
    },
    wallet: {
      baseUrl: httpUrl(env, 'WALLET_BASE_URL', 'http://127.0.0.1:4010'),
      // A public stand-in only where NODE_ENV says development or test, as for the sealing keys.
      apiSecret: env.WALLET_API_SECRET || (env.NODE_ENV === 'development' || env.NODE_ENV === 'test' ? 'development-wallet-api-secret' : ''),
    },
    notifications: {
      walletNotifyUrl: httpUrl(env, 'WALLET_NOTIFY_URL', env.WALLET_BASE_URL || 'http://127.0.0.1:4010'),
      smtpUrl: smtpUrl(env.SMTP_URL),
      smtpFrom: env.SMTP_FROM || 'Customer Care <care@wallet.example>',
      emailDir: env.NOTIFY_EMAIL_DIR || undefined,
      timeoutMs: int(env, 'NOTIFY_TIMEOUT_MS', 10_000, 100),
      concurrency: int(env, 'NOTIFY_WORKER_CONCURRENCY', 10, 1),
      piiKeys: sealingKeys('PII_KEYS', env.PII_KEYS, env.NODE_ENV, DEVELOPMENT_PII_KEY),
      wechat: wechat(env),
    },
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
