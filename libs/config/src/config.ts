import { createHash } from 'node:crypto';
import { DEFAULT_REFUND_LIMITS, DEFAULT_WINDOWS, type CaseWindows, type CurrencyLimits, type RefundLimits } from '@app/domain';

/**
 * The whole runtime configuration, read from the environment once at boot (loadConfig) and
 * injected as APP_CONFIG. Nothing else in the code base reads process.env.
 */
export interface AppConfig {
  env: 'development' | 'test' | 'production';
  /**
   * Security defaults of production (secure cookies, https-only webhooks, two-factor login, no demo
   * seed) unless NODE_ENV says development or test: a process whose NODE_ENV was forgotten is
   * treated as production, and says so in its log (`nodeEnvUnset`).
   */
  productionSecurity: boolean;
  nodeEnvUnset: boolean;
  audit: {
    /** How often the workers chain the case heads that moved into a new anchor. */
    anchorIntervalMs: number;
  };
  ops: {
    /** Bearer token Prometheus sends to /metrics; without one, /metrics is open only outside production security. */
    metricsToken?: string;
    /** Whether /docs (OpenAPI) is open to anyone; otherwise it needs an agent session. */
    docsPublic: boolean;
    /** The worker's probe and metrics port (/health/live, /health/ready, /metrics), on HOST; 0 picks a free one (tests). */
    workerProbePort: number;
    /**
     * On SIGTERM, how long the API waits for requests in flight and a worker for the jobs it is
     * running before cutting them off; keep it below the orchestrator's own stop timeout.
     */
    shutdownGraceMs: number;
    /** An outbox row still pending this long after it was written counts as overdue in /metrics. */
    outboxOverdueMs: number;
  };
  logging: {
    /** LOG_LEVEL: the least severe level written (fatal, error, warn, info, debug, trace, or silent for nothing). */
    level: LogLevelName;
    /** Human-readable lines (pino-pretty, a development dependency) instead of JSON: only with NODE_ENV=development. */
    pretty: boolean;
  };
  tracing: TracingConfig;
  http: {
    host: string;
    port: number;
    /** The largest JSON body accepted, in bytes (HTTP_BODY_LIMIT, e.g. 100kb): a larger one is a 413. */
    bodyLimitBytes: number;
    /** How long an idle keep-alive connection is kept open (HTTP_KEEP_ALIVE_SECONDS): longer than the load balancer in front keeps its own. */
    keepAliveMs: number;
  };
  database: { url: string; poolMax: number; poolIdleMs: number; debug: boolean };
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
    /** How often each worker checks that every pending deadline that should have a job (deadline-jobs.ts) and every outbox row is in Redis. */
    reconcileIntervalMs: number;
    /** Outbox rows not relayed after this long are picked up by the periodic relay. */
    outboxRelayAfterMs: number;
    /**
     * How many times the reconciler may put an outbox row back on BullMQ (its job gone, or
     * finished while the row stayed pending) before it marks the row failed for a person to redrive.
     */
    outboxMaxRelays: number;
    /**
     * How long a command waits for its post-commit enqueue before answering anyway. Redis answers
     * in a millisecond normally; when it is down the rows wait in PostgreSQL for the reconciler.
     */
    dispatchWaitMs: number;
    /**
     * Notifications committed within this long of the last ones a process sent go to BullMQ
     * together, as one job (0: every row a job of its own). The first after a quiet spell goes at
     * once, so a lone notification waits for nothing; under load one job carries many.
     */
    effectBatchWindowMs: number;
    /**
     * How far ahead a deadline gets its BullMQ job (DEADLINE_JOB_HORIZON_MS). One due later is only
     * its row until the reconciler, on a pass within this of its due time, adds the job: most SLA
     * alarms and windows are hours or days away and are paused, resumed or cancelled many times
     * before then, and every delayed job added or removed costs Redis a script and wakes the
     * deadline workers. At least three reconciler periods (deadlineJobHorizonFloor), at most a year.
     */
    deadlineJobHorizonMs: number;
  };
  windows: CaseWindows;
  approvals: {
    /** The largest refund each role decides alone, per currency (REFUND_LIMITS); above it a second person approves. */
    refundLimits: RefundLimits;
  };
  /**
   * Windows set explicitly in the environment. They win over SLA policies: that is how a demo or a
   * test shortens a seven-day merchant window to seconds without editing policies.
   */
  windowOverrides: Partial<CaseWindows>;
  auth: {
    sessionTtlHours: number;
    /** A session unused for this long is over, whatever its lifetime says. */
    sessionIdleMinutes: number;
    /**
     * How long a process keeps a resolved session in memory (AUTH_SESSION_CACHE_MS; 0: every request
     * reads PostgreSQL). Used only while the process hears revocations over Redis pub/sub.
     */
    sessionCacheMs: number;
    cookieSecure: boolean;
    loginThrottle: LoginThrottleConfig;
    /**
     * argon2id's cost for new password hashes (PASSWORD_HASH_*). Each hash records the cost it was
     * made with, so a change applies to passwords set from then on and every stored hash still verifies.
     */
    passwordHash: PasswordHashCost;
    /** argon2id checks running at once per process (each takes the memory its hash records); more wait in line. */
    maxConcurrentPasswordChecks: number;
    /** Password checks allowed to wait for a slot; past that a login is refused at once (503). */
    maxQueuedPasswordChecks: number;
    totp: {
      /** Roles that must sign in with a second factor; until enrolled, such a session can only enrol. */
      requiredRoles: AgentRoleName[];
      /** The name authenticator apps show. */
      issuer: string;
      /** 32-byte keys sealing TOTP seeds at rest (TOTP_SECRET_KEYS): the first seals, all open. */
      secretKeys: Buffer[];
    };
  };
  /** The wallet: the separate system that holds the money and the accounts (libs/wallet). */
  wallet: WalletConfig;
  /** The workers' comparison of our refunds with the wallet's. */
  refundReconciliation: {
    /** How often a pass runs (daily by default; also at boot). */
    intervalMs: number;
    /** A pass compares refunds created in [now - lookback, now - grace). */
    lookbackMs: number;
    /** Refunds younger than this may still be on their way (callback not yet in): not compared yet. */
    graceMs: number;
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
  disputes: {
    /** A dispute is filed within this many days of its transaction (DISPUTE_FILING_WINDOW_DAYS, 1 to 3650; 120 as card schemes allow). */
    filingWindowDays: number;
  };
  /** The customer API, called by the wallet backend on behalf of a signed-in customer. */
  customerApi: {
    /**
     * Secrets shared with the wallet backend (CUSTOMER_TOKEN_SECRETS), newest first: the wallet
     * signs customer tokens with the first, we accept any, so a secret rotates without downtime.
     */
    tokenSecrets: string[];
    /** Requests per customer per fixed one-minute window before a 429. */
    rateLimitPerMinute: number;
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
    /** Deliveries of one merchant sent at once, over every worker: a slow merchant cannot take every slot. */
    concurrencyPerMerchant: number;
    /**
     * 32-byte keys that seal the endpoints' signing secrets at rest (WEBHOOK_SECRET_KEYS); the first
     * seals, all open. Required unless NODE_ENV is development or test (a public key stands in).
     */
    secretKeys: Buffer[];
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

export interface WalletConfig {
  /** Where the wallet's API answers (the real wallet, or apps/wallet-sim in the demo and tests). */
  baseUrl: string;
  /** Signs our requests to the wallet (WALLET_API_SECRET). */
  apiSecret: string;
  /** Secrets the wallet's callbacks may be signed with; several while one is being rotated. */
  callbackSecrets: string[];
  /** Per HTTP request; a write that times out after sending is ambiguous (it may have happened). */
  timeoutMs: number;
  /** Retries of one call on failures that are certainly not carried out (refused, 5xx, 429). */
  maxRetries: number;
  /** First retry delay; doubled each retry. */
  retryDelayMs: number;
  breaker: {
    /** Failed calls (percent of the rolling window) that open the circuit. */
    errorThresholdPercentage: number;
    /** Calls in the window before the percentage counts at all. */
    volumeThreshold: number;
    rollingWindowMs: number;
    /** How long the circuit stays open before one trial call is let through. */
    resetTimeoutMs: number;
  };
  /** A refund still processing with no callback for this long (or past its expected arrival) is looked up. */
  refundPollMs: number;
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

export const LOG_LEVEL_NAMES = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVEL_NAMES)[number];

/**
 * OpenTelemetry tracing. On only when OTEL_EXPORTER_OTLP_ENDPOINT (or the traces-only
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set and OTEL_SDK_DISABLED is not true; off, no SDK is
 * loaded at all. The SDK reads the other standard OTEL_* variables itself (protocol, headers,
 * sampler, batching): they are OpenTelemetry's, documented there, not this file's.
 */
export interface TracingConfig {
  endpoint?: string;
  /** OTEL_SERVICE_NAME; unset: dispute-engine-api, dispute-engine-worker. */
  serviceName?: string;
}

const OTLP_PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'];

/**
 * Read on its own (and again by loadConfig) because tracing starts before anything else loads,
 * ahead of the full configuration; main.ts reports a bad value through loadConfig.
 */
export function tracingConfig(env: Env = process.env): TracingConfig {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
  if (endpoint === undefined || bool(env, 'OTEL_SDK_DISABLED', false)) return {};
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol)) throw new ConfigError(`OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL, got "${endpoint}"`);
  for (const name of ['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL']) {
    const protocol = env[name];
    if (protocol && !OTLP_PROTOCOLS.includes(protocol)) throw new ConfigError(`${name} must be one of ${OTLP_PROTOCOLS.join(', ')}, got "${protocol}"`);
  }
  return { endpoint, serviceName: env.OTEL_SERVICE_NAME || undefined };
}

function logLevel(raw: string | undefined): LogLevelName {
  if (raw === undefined || raw === '') return 'info';
  const level = raw.toLowerCase();
  if (!(LOG_LEVEL_NAMES as readonly string[]).includes(level)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVEL_NAMES.join(', ')}, got "${raw}"`);
  return level as LogLevelName;
}

type Env = Record<string, string | undefined>;

export interface PasswordHashCost {
  /** Memory per hash, in KiB. */
  memoryKib: number;
  /** Passes over that memory. */
  iterations: number;
  /** Lanes (threads) per hash. */
  parallelism: number;
}

/** The first of OWASP's argon2id configurations (19 MiB, two passes): the least production may use. */
const PASSWORD_HASH_FLOOR = { memoryKib: 19 * 1024, iterations: 2 };
/** Past these a setting is a typo (a login would run out of memory or take seconds), not a policy. */
const PASSWORD_HASH_CEILING = { memoryKib: 1024 * 1024, iterations: 64, parallelism: 16 };

/**
 * 64 MiB, three passes, four lanes by default. Below OWASP's floor only with NODE_ENV=test: the
 * test suite makes hundreds of agents, and at the production cost their hashing was a tenth of
 * the suite's CPU.
 */
function passwordHashCost(env: Env): PasswordHashCost {
  const cost = {
    memoryKib: int(env, 'PASSWORD_HASH_MEMORY_KIB', 64 * 1024, 8, PASSWORD_HASH_CEILING.memoryKib),
    iterations: int(env, 'PASSWORD_HASH_ITERATIONS', 3, 1, PASSWORD_HASH_CEILING.iterations),
    parallelism: int(env, 'PASSWORD_HASH_PARALLELISM', 4, 1, PASSWORD_HASH_CEILING.parallelism),
  };
  // argon2 itself refuses less than 8 KiB per lane.
  if (cost.memoryKib < 8 * cost.parallelism)
    throw new ConfigError(`PASSWORD_HASH_MEMORY_KIB must be at least 8 per lane (${8 * cost.parallelism}), got "${env.PASSWORD_HASH_MEMORY_KIB}"`);
  if (env.NODE_ENV !== 'test' && (cost.memoryKib < PASSWORD_HASH_FLOOR.memoryKib || cost.iterations < PASSWORD_HASH_FLOOR.iterations)) {
    throw new ConfigError(
      `PASSWORD_HASH_MEMORY_KIB must be at least ${PASSWORD_HASH_FLOOR.memoryKib} and PASSWORD_HASH_ITERATIONS at least ${PASSWORD_HASH_FLOOR.iterations} (OWASP's minimum for argon2id); less only with NODE_ENV=test`,
    );
  }
  return cost;
}

/**
 * How long a reconciler pass's lock lives: a period, and at least 60 s, so a pass that runs long
 * keeps it, and one whose process died holding it lets the next pass in after that long.
 */
export function reconcileLockTtlMs(reconcileIntervalMs: number): number {
  return Math.max(reconcileIntervalMs, 60_000);
}

/**
 * The shortest DEADLINE_JOB_HORIZON_MS: three reconciler periods, each at least as long as a pass's
 * lock outlives a process that died holding it (reconcileLockTtlMs). A deadline is found within the horizon by the
 * first pass after it came within (at most a period later); a pass missed (skipped while the one
 * before overran, or lost with a dead lock holder) costs another period, and the third leaves time
 * for the pass itself. The job then waits in Redis for the exact time.
 */
function deadlineJobHorizonFloor(reconcileIntervalMs: number): number {
  return 3 * reconcileLockTtlMs(reconcileIntervalMs);
}

/** A year: `now + horizon` must stay a valid date; a longer one would only fill Redis with jobs. */
const DEADLINE_JOB_HORIZON_MAX_MS = 365 * 24 * 3600_000;

function deadlineJobHorizon(env: Env): number {
  const floor = deadlineJobHorizonFloor(int(env, 'RECONCILE_INTERVAL_MS', 30_000, 100));
  const horizon = int(env, 'DEADLINE_JOB_HORIZON_MS', Math.max(900_000, floor), 1, DEADLINE_JOB_HORIZON_MAX_MS);
  if (horizon < floor)
    throw new ConfigError(
      `DEADLINE_JOB_HORIZON_MS must be at least three times max(RECONCILE_INTERVAL_MS, 60000), ${floor}, got "${env.DEADLINE_JOB_HORIZON_MS}": the reconciler adds the jobs of deadlines that come within it`,
    );
  return horizon;
}

function int(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  if (value > max) throw new ConfigError(`${name} must be at most ${max}, got "${raw}"`);
  return value;
}

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** A size as people write it (`100kb`, `1mb`, `2048`), in bytes: 1 kb is 1024 bytes, as Express's body parser read it. */
function byteSize(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(raw);
  const bytes = match ? Math.floor(Number(match[1]) * BYTE_UNITS[(match[2] ?? '').toLowerCase()]!) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new ConfigError(`${name} must be a size such as 100kb or 1mb, got "${raw}"`);
  return bytes;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** Ten years at most: a longer window is a typo (seconds or minutes given as days), not a policy. */
function filingWindowDays(env: Env): number {
  const days = int(env, 'DISPUTE_FILING_WINDOW_DAYS', 120, 1);
  if (days > 3650) throw new ConfigError(`DISPUTE_FILING_WINDOW_DAYS must be at most 3650 days, got "${env.DISPUTE_FILING_WINDOW_DAYS}"`);
  return days;
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
  walletConfirmationMs: 'WALLET_CONFIRMATION_SECONDS',
  approvalMs: 'APPROVAL_WINDOW_SECONDS',
  pendingRecheckMs: 'PENDING_RECHECK_SECONDS',
};

/**
 * Stands in when NODE_ENV says development or test, so demos and tests need no setup. It is in
 * this file for anyone to read: it must never seal a real secret, so production refuses it.
 */
const DEVELOPMENT_WEBHOOK_KEY = createHash('sha256').update('dispute-engine development webhook secret key (not for production)').digest();

const HOW_TO_MAKE_A_KEY = '32 random bytes, base64 (e.g. `openssl rand -base64 32`); comma-separated to rotate, newest first';

const DEVELOPMENT_TOTP_KEY = createHash('sha256').update('dispute-engine development TOTP seed key (not for production)').digest();
/** The same idea for customers' contact details: a public key of its own, never used in production. */
const DEVELOPMENT_PII_KEY = createHash('sha256').update('dispute-engine development customer contact key (not for production)').digest();

function webhookSecretKeys(raw: string | undefined, declaredEnv: string | undefined): Buffer[] {
  return sealingKeys('WEBHOOK_SECRET_KEYS', raw, declaredEnv, DEVELOPMENT_WEBHOOK_KEY);
}

/** A list of 32-byte sealing keys from one variable; a public development key only where the environment says development or test. */
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

/**
 * Failed logins counted per account and per client address in Redis; reaching a limit locks that
 * account or address out, each lock-out twice as long as the one before (up to the maximum).
 */
export interface LoginThrottleConfig {
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  /** Failures older than this no longer count. */
  failureWindowSeconds: number;
  lockoutBaseSeconds: number;
  lockoutMaxSeconds: number;
}

type AgentRoleName = 'agent' | 'supervisor' | 'admin';

function metricsToken(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 24) throw new ConfigError('METRICS_TOKEN must be at least 24 characters');
  return raw;
}

/**
 * REFUND_LIMITS, e.g. `agent=CNY:50000,USD:7000;supervisor=CNY:5000000;admin=unlimited` (minor
 * units). A role given replaces that role's defaults; a role not given keeps them; a currency a
 * role does not list has a limit of 0 (every refund in it needs a second person).
 */
function refundLimits(raw: string | undefined): RefundLimits {
  if (raw === undefined || raw.trim() === '') return DEFAULT_REFUND_LIMITS;
  const limits: Record<string, CurrencyLimits | 'unlimited'> = { ...DEFAULT_REFUND_LIMITS };
  for (const part of raw
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [role, spec] = part.split('=').map((p) => p.trim());
    if (!role || !['agent', 'supervisor', 'admin'].includes(role) || spec === undefined) {
      throw new ConfigError(`REFUND_LIMITS: "${part}" is not <role>=<CUR>:<minor units>,... or <role>=unlimited (roles: agent, supervisor, admin)`);
    }
    if (spec === 'unlimited') {
      limits[role] = 'unlimited';
      continue;
    }
    const currencies: Record<string, number> = {};
    for (const entry of spec
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const match = /^([A-Z]{3}):(\d{1,15})$/.exec(entry);
      if (!match) throw new ConfigError(`REFUND_LIMITS: "${entry}" for ${role} is not <CUR>:<minor units> (e.g. CNY:50000)`);
      currencies[match[1]!] = Number(match[2]);
    }
    limits[role] = currencies;
  }
  refuseInvertedLimits(limits as RefundLimits);
  return limits as RefundLimits;
}

/**
 * A role may not decide less than the role below it: an agent's proposal that no supervisor may
 * approve would wait for an admin alone. Checked per currency the lower role lists.
 */
function refuseInvertedLimits(limits: RefundLimits): void {
  const order = ['agent', 'supervisor', 'admin'] as const;
  for (let i = 0; i + 1 < order.length; i++) {
    const lower = limits[order[i]!];
    const higher = limits[order[i + 1]!];
    if (lower === 'unlimited' && higher !== 'unlimited') {
      throw new ConfigError(`REFUND_LIMITS: ${order[i]} is unlimited but ${order[i + 1]} is not`);
    }
    if (lower === 'unlimited' || higher === 'unlimited') continue;
    for (const [currency, amount] of Object.entries(lower)) {
      if ((higher[currency] ?? 0) < amount) {
        throw new ConfigError(`REFUND_LIMITS: ${order[i + 1]} may decide less ${currency} (${higher[currency] ?? 0}) than ${order[i]} (${amount})`);
      }
    }
  }
}

function roleList(raw: string | undefined, fallback: AgentRoleName[]): AgentRoleName[] {
  if (raw === undefined) return fallback;
  const roles = raw
    .split(',')
    .map((role) => role.trim())
    .filter(Boolean);
  for (const role of roles) if (!['agent', 'supervisor', 'admin'].includes(role)) throw new ConfigError(`TOTP_REQUIRED_ROLES: unknown role "${role}"`);
  return roles as AgentRoleName[];
}

/**
 * Stands in for CUSTOMER_TOKEN_SECRETS when NODE_ENV says development or test (demos, tests, the
 * README's walk-through). Public, so production refuses it.
 */
export const DEVELOPMENT_CUSTOMER_TOKEN_SECRET = 'dispute-engine development customer token secret (not for production)';

function customerTokenSecrets(raw: string | undefined, declaredEnv: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') {
    if (declaredEnv === 'development' || declaredEnv === 'test') return [DEVELOPMENT_CUSTOMER_TOKEN_SECRET];
    throw new ConfigError(
      'CUSTOMER_TOKEN_SECRETS is required' +
        (declaredEnv === 'production' ? ' in production' : ' (or NODE_ENV=development for the public development secret)') +
        ': secrets of at least 32 characters shared with the wallet backend (e.g. `openssl rand -base64 32`), comma-separated to rotate, newest first',
    );
  }
  const secrets = raw.split(',').map((part) => part.trim());
  secrets.forEach((secret, index) => {
    if (secret.length < 32) throw new ConfigError(`CUSTOMER_TOKEN_SECRETS: secret ${index + 1} must be at least 32 characters, got ${secret.length}`);
  });
  if (declaredEnv === 'production' && secrets.includes(DEVELOPMENT_CUSTOMER_TOKEN_SECRET)) {
    throw new ConfigError('CUSTOMER_TOKEN_SECRETS holds the public development secret, which production refuses');
  }
  return secrets;
}

/**
 * The simulator's public development secrets (apps/wallet-sim uses the same defaults), so a demo
 * needs no setup. Production refuses them, as it refuses the development webhook key.
 */
export const DEVELOPMENT_WALLET_API_SECRET = 'wallet-sim-development-api-secret';
export const DEVELOPMENT_WALLET_CALLBACK_SECRET = 'wallet-sim-development-callback-secret';

function walletSecret(env: Env, name: string, developmentSecret: string, declaredEnv: string | undefined): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') {
    if (declaredEnv === 'development' || declaredEnv === 'test') return [developmentSecret];
    throw new ConfigError(
      declaredEnv === 'production'
        ? `${name} is required in production (the secret shared with the wallet, at least 16 characters)`
        : `${name} is not set: set it (the secret shared with the wallet), or NODE_ENV=development to use the simulator's public development secret`,
    );
  }
  const secrets = raw.split(',').map((part) => part.trim());
  if (secrets.some((secret) => secret.length < 16)) throw new ConfigError(`${name}: every secret must be at least 16 characters`);
  if (declaredEnv === 'production' && secrets.includes(developmentSecret)) {
    throw new ConfigError(`${name} holds the simulator's public development secret, which production refuses`);
  }
  return secrets;
}

function walletConfig(env: Env, declaredEnv: string | undefined): WalletConfig {
  const raw = env.WALLET_BASE_URL;
  if ((raw === undefined || raw === '') && declaredEnv !== 'development' && declaredEnv !== 'test') {
    throw new ConfigError('WALLET_BASE_URL is required (the wallet API, e.g. https://wallet.internal); NODE_ENV=development uses the simulator on http://127.0.0.1:4010');
  }
  const baseUrl = raw || 'http://127.0.0.1:4010';
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol)) throw new ConfigError(`WALLET_BASE_URL must be an http(s) URL, got "${baseUrl}"`);
  const apiSecrets = walletSecret(env, 'WALLET_API_SECRET', DEVELOPMENT_WALLET_API_SECRET, declaredEnv);
  if (apiSecrets.length !== 1) throw new ConfigError('WALLET_API_SECRET is one secret (the wallet rotates it on its side)');
  const errorThresholdPercentage = int(env, 'WALLET_BREAKER_ERROR_PERCENT', 50, 1);
  if (errorThresholdPercentage > 100) throw new ConfigError('WALLET_BREAKER_ERROR_PERCENT must be at most 100');
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    apiSecret: apiSecrets[0]!,
    callbackSecrets: walletSecret(env, 'WALLET_CALLBACK_SECRET', DEVELOPMENT_WALLET_CALLBACK_SECRET, declaredEnv),
    timeoutMs: int(env, 'WALLET_TIMEOUT_MS', 10_000, 100),
    maxRetries: int(env, 'WALLET_MAX_RETRIES', 2, 0),
    retryDelayMs: int(env, 'WALLET_RETRY_DELAY_MS', 200, 0),
    breaker: {
      errorThresholdPercentage,
      volumeThreshold: int(env, 'WALLET_BREAKER_VOLUME_THRESHOLD', 10, 1),
      rollingWindowMs: int(env, 'WALLET_BREAKER_WINDOW_MS', 10_000, 100),
      resetTimeoutMs: int(env, 'WALLET_BREAKER_RESET_MS', 30_000, 100),
    },
    refundPollMs: int(env, 'WALLET_REFUND_POLL_SECONDS', 600, 1) * 1000,
  };
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
  if (!appSecret || !templateId) throw new ConfigError("WECHAT_APP_ID needs WECHAT_APP_SECRET and WECHAT_TEMPLATE_ID (the official account's template message)");
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
  const productionSecurity = !(env.NODE_ENV === 'development' || env.NODE_ENV === 'test');
  return {
    env: nodeEnv,
    productionSecurity,
    nodeEnvUnset: env.NODE_ENV === undefined || env.NODE_ENV === '',
    audit: { anchorIntervalMs: int(env, 'AUDIT_ANCHOR_INTERVAL_SECONDS', 3600, 1) * 1000 },
    ops: {
      metricsToken: metricsToken(env.METRICS_TOKEN),
      docsPublic: bool(env, 'DOCS_PUBLIC', !productionSecurity),
      workerProbePort: int(env, 'WORKER_PROBE_PORT', 3001),
      shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 25_000),
      outboxOverdueMs: int(env, 'OUTBOX_OVERDUE_MINUTES', 15, 1) * 60_000,
    },
    logging: { level: logLevel(env.LOG_LEVEL), pretty: env.NODE_ENV === 'development' },
    tracing: tracingConfig(env),
    http: {
      host: env.HOST ?? '0.0.0.0',
      port: int(env, 'PORT', 3000),
      bodyLimitBytes: byteSize(env, 'HTTP_BODY_LIMIT', 100 * 1024),
      // Node closes an idle keep-alive connection after 5 s; a load balancer that keeps its own for
      // 60 s (AWS's default, nginx's keepalive_timeout) then sends a request on a connection Node is
      // closing, and the client gets a 502. The server's idle time must be the longer one.
      keepAliveMs: int(env, 'HTTP_KEEP_ALIVE_SECONDS', 65, 1, 3600) * 1000,
    },
    database: {
      url: env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/dispute_engine',
      poolMax: int(env, 'DATABASE_POOL_MAX', 20, 1),
      // A pool that drops connections idle for a little while opens cold ones in the next burst, and a
      // new PostgreSQL backend plans its first statements slowly (caches empty): keep them for minutes.
      poolIdleMs: int(env, 'DATABASE_POOL_IDLE_SECONDS', 600, 1) * 1000,
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
      outboxMaxRelays: int(env, 'OUTBOX_MAX_RELAYS', 5, 1),
      dispatchWaitMs: int(env, 'POST_COMMIT_DISPATCH_WAIT_MS', 500, 0),
      effectBatchWindowMs: int(env, 'EFFECT_BATCH_WINDOW_MS', 100, 0, 60_000),
      deadlineJobHorizonMs: deadlineJobHorizon(env),
    },
    windows: Object.fromEntries(
      Object.entries(WINDOW_VARIABLES).map(([key, name]) => [key, windowMs(env, name, DEFAULT_WINDOWS[key as keyof CaseWindows])]),
    ) as unknown as CaseWindows,
    approvals: { refundLimits: refundLimits(env.REFUND_LIMITS) },
    windowOverrides: Object.fromEntries(
      Object.entries(WINDOW_VARIABLES)
        .filter(([, name]) => env[name] !== undefined && env[name] !== '')
        .map(([key, name]) => [key, windowMs(env, name, 0)]),
    ),
    auth: {
      sessionTtlHours: int(env, 'SESSION_TTL_HOURS', 12, 1),
      sessionIdleMinutes: int(env, 'SESSION_IDLE_MINUTES', 60, 1),
      sessionCacheMs: int(env, 'AUTH_SESSION_CACHE_MS', 5000, 0),
      cookieSecure: bool(env, 'COOKIE_SECURE', productionSecurity),
      loginThrottle: {
        maxFailuresPerAccount: int(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', 5, 1),
        maxFailuresPerAddress: int(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', 20, 1),
        failureWindowSeconds: int(env, 'LOGIN_FAILURE_WINDOW_SECONDS', 900, 1),
        lockoutBaseSeconds: int(env, 'LOGIN_LOCKOUT_BASE_SECONDS', 60, 1),
        lockoutMaxSeconds: int(env, 'LOGIN_LOCKOUT_MAX_SECONDS', 3600, 1),
      },
      passwordHash: passwordHashCost(env),
      maxConcurrentPasswordChecks: int(env, 'LOGIN_MAX_CONCURRENT_PASSWORD_CHECKS', 2, 1),
      maxQueuedPasswordChecks: int(env, 'LOGIN_MAX_QUEUED_PASSWORD_CHECKS', 32, 0),
      totp: {
        // Required for supervisors and admins unless the environment says development or test
        // (an unset NODE_ENV gets the production default).
        requiredRoles: roleList(env.TOTP_REQUIRED_ROLES, productionSecurity ? ['supervisor', 'admin'] : []),
        issuer: env.TOTP_ISSUER ?? 'Dispute engine',
        secretKeys: sealingKeys('TOTP_SECRET_KEYS', env.TOTP_SECRET_KEYS, env.NODE_ENV, DEVELOPMENT_TOTP_KEY),
      },
    },
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
    disputes: { filingWindowDays: filingWindowDays(env) },
    webhooks: {
      allowPrivateTargets: bool(env, 'WEBHOOK_ALLOW_PRIVATE_TARGETS', false),
      retryDelaysMs: delays(env, 'WEBHOOK_RETRY_DELAYS_MS', DEFAULT_WEBHOOK_RETRY_DELAYS_MS),
      timeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100),
      disableAfterMs: int(env, 'WEBHOOK_DISABLE_AFTER_SECONDS', 5 * 24 * 3600, 1) * 1000,
      concurrency: int(env, 'WEBHOOK_WORKER_CONCURRENCY', 10, 1),
      concurrencyPerMerchant: int(env, 'WEBHOOK_CONCURRENCY_PER_MERCHANT', 3, 1),
      secretKeys: webhookSecretKeys(env.WEBHOOK_SECRET_KEYS, env.NODE_ENV),
    },
    customerApi: {
      tokenSecrets: customerTokenSecrets(env.CUSTOMER_TOKEN_SECRETS, env.NODE_ENV),
      rateLimitPerMinute: int(env, 'CUSTOMER_RATE_LIMIT_PER_MINUTE', 120, 1),
    },
    wallet: walletConfig(env, env.NODE_ENV),
    refundReconciliation: {
      intervalMs: int(env, 'REFUND_RECONCILIATION_INTERVAL_SECONDS', 24 * 3600, 1) * 1000,
      lookbackMs: int(env, 'REFUND_RECONCILIATION_LOOKBACK_HOURS', 48, 1) * 3600 * 1000,
      graceMs: int(env, 'REFUND_RECONCILIATION_GRACE_SECONDS', 3600, 0) * 1000,
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
