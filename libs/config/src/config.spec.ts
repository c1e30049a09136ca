import { ConfigError, DEVELOPMENT_CUSTOMER_TOKEN_SECRET, loadConfig, tracingConfig } from './config';

describe('evidence storage configuration', () => {
  const storage = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }).evidence.storage;

  it('is local disk by default', () => {
    expect(storage({})).toEqual({ kind: 'local' });
    expect(storage({ EVIDENCE_STORAGE: 'local', S3_BUCKET: 'ignored' })).toEqual({ kind: 'local' });
  });

  it('s3 on AWS: default region, default credential chain, virtual-hosted URLs', () => {
    expect(storage({ EVIDENCE_STORAGE: 's3', S3_BUCKET: 'evidence-prod' })).toEqual({
      kind: 's3',
      endpoint: undefined,
      region: 'us-east-1',
      bucket: 'evidence-prod',
      credentials: undefined,
      forcePathStyle: false,
    });
  });

  it('s3 with a custom endpoint: path-style unless told otherwise, static keys', () => {
    const base = {
      EVIDENCE_STORAGE: 's3',
      S3_BUCKET: 'evidence',
      S3_ENDPOINT: 'http://minio:9000',
      S3_REGION: 'cn-hangzhou',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
    };
    expect(storage(base)).toEqual({
      kind: 's3',
      endpoint: 'http://minio:9000',
      region: 'cn-hangzhou',
      bucket: 'evidence',
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
      forcePathStyle: true,
    });
    expect(storage({ ...base, S3_FORCE_PATH_STYLE: 'false' })).toMatchObject({ forcePathStyle: false });
  });

  it.each([
    [{ EVIDENCE_STORAGE: 'gcs' }, /EVIDENCE_STORAGE must be "local" or "s3"/],
    [{ EVIDENCE_STORAGE: 's3' }, /needs S3_BUCKET/],
    [{ EVIDENCE_STORAGE: 's3', S3_BUCKET: 'Bad_Bucket' }, /S3_BUCKET must be a bucket name/],
    [{ EVIDENCE_STORAGE: 's3', S3_BUCKET: 'evidence', S3_ENDPOINT: 'minio:9000' }, /S3_ENDPOINT must be an http\(s\) URL/],
    [{ EVIDENCE_STORAGE: 's3', S3_BUCKET: 'evidence', S3_ACCESS_KEY_ID: 'id' }, /S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together/],
    [{ EVIDENCE_STORAGE: 's3', S3_BUCKET: 'evidence', S3_FORCE_PATH_STYLE: 'maybe' }, /S3_FORCE_PATH_STYLE must be true or false/],
  ])('%j is refused', (env, message) => {
    expect(() => storage(env)).toThrow(ConfigError);
    expect(() => storage(env)).toThrow(message);
  });
});

const PRODUCTION_WALLET = { WALLET_BASE_URL: 'https://wallet.internal', WALLET_API_SECRET: 'a-real-api-secret-0001', WALLET_CALLBACK_SECRET: 'a-real-callback-secret-0001' };
/** Every other secret production needs, so a test of one rule is not stopped by another. */
const PRODUCTION_SECRETS = {
  ...PRODUCTION_WALLET,
  TOTP_SECRET_KEYS: Buffer.alloc(32, 9).toString('base64'),
  CUSTOMER_TOKEN_SECRETS: 'c'.repeat(32),
  PII_KEYS: Buffer.alloc(32, 5).toString('base64'),
};

describe('webhook secret keys', () => {
  const key = Buffer.alloc(32, 7).toString('base64');

  it('are required in production, with a hint how to make one', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ...PRODUCTION_SECRETS })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', ...PRODUCTION_SECRETS })).toThrow(/WEBHOOK_SECRET_KEYS is required in production.*openssl rand -base64 32/);
    expect(loadConfig({ NODE_ENV: 'production', WEBHOOK_SECRET_KEYS: key, ...PRODUCTION_SECRETS }).webhooks.secretKeys).toEqual([Buffer.alloc(32, 7)]);
  });

  it('are required when NODE_ENV is not set either, and production refuses the public development key', () => {
    expect(() => loadConfig({ ...PRODUCTION_SECRETS })).toThrow(/WEBHOOK_SECRET_KEYS is not set.*NODE_ENV=development/);
    const developmentKey = loadConfig({ NODE_ENV: 'development' }).webhooks.secretKeys[0]!.toString('base64');
    expect(() => loadConfig({ NODE_ENV: 'production', WEBHOOK_SECRET_KEYS: developmentKey, ...PRODUCTION_SECRETS })).toThrow(/public development key/);
  });

  it('default to a development key in development and test, and list several (newest first) to rotate', () => {
    const development = loadConfig({ NODE_ENV: 'development' }).webhooks.secretKeys;
    expect(development).toHaveLength(1);
    expect(development[0]).toHaveLength(32);
    const rotated = loadConfig({ NODE_ENV: 'test', WEBHOOK_SECRET_KEYS: `${Buffer.alloc(32, 1).toString('base64')}, ${key}` }).webhooks.secretKeys;
    expect(rotated).toEqual([Buffer.alloc(32, 1), Buffer.alloc(32, 7)]);
  });

  it('must each be 32 bytes of base64', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', WEBHOOK_SECRET_KEYS: Buffer.alloc(16).toString('base64') })).toThrow(/key 1 must be 32 bytes/);
  });
});

describe('two-factor login settings', () => {
  const keys = { ...PRODUCTION_SECRETS, WEBHOOK_SECRET_KEYS: Buffer.alloc(32, 7).toString('base64') };

  it('require TOTP for supervisors and admins in production and when NODE_ENV is unset, not in development or test', () => {
    expect(loadConfig({ NODE_ENV: 'production', ...keys }).auth.totp.requiredRoles).toEqual(['supervisor', 'admin']);
    expect(loadConfig({ ...keys }).auth.totp.requiredRoles).toEqual(['supervisor', 'admin']);
    expect(loadConfig({ NODE_ENV: 'development' }).auth.totp.requiredRoles).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'test', TOTP_REQUIRED_ROLES: 'admin' }).auth.totp.requiredRoles).toEqual(['admin']);
    expect(() => loadConfig({ NODE_ENV: 'test', TOTP_REQUIRED_ROLES: 'root' })).toThrow(/unknown role "root"/);
  });

  it('need their own sealing keys in production', () => {
    const { TOTP_SECRET_KEYS: _left, ...withoutTotp } = keys;
    expect(() => loadConfig({ NODE_ENV: 'production', ...withoutTotp })).toThrow(/TOTP_SECRET_KEYS is required in production/);
  });
});

describe('security defaults', () => {
  const keys = { ...PRODUCTION_SECRETS, WEBHOOK_SECRET_KEYS: Buffer.alloc(32, 7).toString('base64') };

  it('are production ones when NODE_ENV is unset, and say so', () => {
    const unset = loadConfig({ ...keys });
    expect(unset).toMatchObject({ productionSecurity: true, nodeEnvUnset: true });
    expect(unset.auth.cookieSecure).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', ...keys })).toMatchObject({ productionSecurity: true, nodeEnvUnset: false });
  });

  it('are relaxed only where NODE_ENV says development or test', () => {
    expect(loadConfig({ NODE_ENV: 'development' })).toMatchObject({ productionSecurity: false, auth: { cookieSecure: false } });
    expect(loadConfig({ NODE_ENV: 'test' }).productionSecurity).toBe(false);
  });
});

describe('password hashing cost', () => {
  const cost = (env: Record<string, string>) => loadConfig(env).auth.passwordHash;
  const cheapest = { PASSWORD_HASH_MEMORY_KIB: '1024', PASSWORD_HASH_ITERATIONS: '1', PASSWORD_HASH_PARALLELISM: '1' };

  it('is 64 MiB, three passes and four lanes unless set', () => {
    expect(cost({ NODE_ENV: 'development' })).toEqual({ memoryKib: 65536, iterations: 3, parallelism: 4 });
    expect(cost({ NODE_ENV: 'development', PASSWORD_HASH_MEMORY_KIB: '19456', PASSWORD_HASH_ITERATIONS: '2', PASSWORD_HASH_PARALLELISM: '1' })).toEqual({
      memoryKib: 19456,
      iterations: 2,
      parallelism: 1,
    });
  });

  it("goes below OWASP's floor (19 MiB, two passes) only with NODE_ENV=test", () => {
    expect(cost({ NODE_ENV: 'test', ...cheapest })).toEqual({ memoryKib: 1024, iterations: 1, parallelism: 1 });
    // Unset counts as production.
    expect(() => cost({ ...cheapest })).toThrow(/PASSWORD_HASH_MEMORY_KIB must be at least 19456/);
    for (const NODE_ENV of ['development', 'production']) {
      expect(() => cost({ NODE_ENV, ...cheapest })).toThrow(/PASSWORD_HASH_MEMORY_KIB must be at least 19456 and PASSWORD_HASH_ITERATIONS at least 2/);
      expect(() => cost({ NODE_ENV, PASSWORD_HASH_ITERATIONS: '1' })).toThrow(/PASSWORD_HASH_ITERATIONS at least 2 \(OWASP/);
    }
  });

  it('refuses what argon2 would refuse at the first login, and typos that would run a login out of memory', () => {
    expect(() => cost({ NODE_ENV: 'test', PASSWORD_HASH_MEMORY_KIB: '16', PASSWORD_HASH_PARALLELISM: '4' })).toThrow(/at least 8 per lane \(32\)/);
    expect(() => cost({ NODE_ENV: 'test', PASSWORD_HASH_PARALLELISM: '0' })).toThrow(/PASSWORD_HASH_PARALLELISM must be an integer >= 1/);
    expect(() => cost({ NODE_ENV: 'test', PASSWORD_HASH_PARALLELISM: '17' })).toThrow(/PASSWORD_HASH_PARALLELISM must be at most 16/);
    expect(() => cost({ NODE_ENV: 'test', PASSWORD_HASH_MEMORY_KIB: '65536000' })).toThrow(/PASSWORD_HASH_MEMORY_KIB must be at most 1048576/);
    expect(() => cost({ NODE_ENV: 'test', PASSWORD_HASH_ITERATIONS: '300' })).toThrow(/PASSWORD_HASH_ITERATIONS must be at most 64/);
    expect(() => cost({ NODE_ENV: 'test', PASSWORD_HASH_MEMORY_KIB: 'lots' })).toThrow(ConfigError);
  });
});

describe('customer token secrets', () => {
  const webhook = {
    ...PRODUCTION_WALLET,
    WEBHOOK_SECRET_KEYS: Buffer.alloc(32, 7).toString('base64'),
    TOTP_SECRET_KEYS: Buffer.alloc(32, 9).toString('base64'),
    PII_KEYS: PRODUCTION_SECRETS.PII_KEYS,
  };

  it('are required in production and outside development and test', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ...webhook })).toThrow(/CUSTOMER_TOKEN_SECRETS is required in production/);
    expect(() => loadConfig(webhook)).toThrow(/CUSTOMER_TOKEN_SECRETS is required/);
  });

  it('default to the public development secret in development and test, which production refuses', () => {
    const [development] = loadConfig({ NODE_ENV: 'development' }).customerApi.tokenSecrets;
    expect(development).toBe(DEVELOPMENT_CUSTOMER_TOKEN_SECRET);
    expect(() => loadConfig({ NODE_ENV: 'production', ...webhook, CUSTOMER_TOKEN_SECRETS: DEVELOPMENT_CUSTOMER_TOKEN_SECRET })).toThrow(/public development secret/);
  });

  it('list several, newest first, each at least 32 characters', () => {
    const a = 'a'.repeat(32);
    const b = 'b'.repeat(40);
    expect(loadConfig({ NODE_ENV: 'production', ...webhook, CUSTOMER_TOKEN_SECRETS: `${a}, ${b}` }).customerApi.tokenSecrets).toEqual([a, b]);
    expect(() => loadConfig({ NODE_ENV: 'test', CUSTOMER_TOKEN_SECRETS: `${a},short` })).toThrow(/secret 2 must be at least 32 characters/);
  });
});

describe('wallet configuration', () => {
  const webhookKey = Buffer.alloc(32, 7).toString('base64');
  const production = (env: Record<string, string>) =>
    loadConfig({
      NODE_ENV: 'production',
      WEBHOOK_SECRET_KEYS: webhookKey,
      TOTP_SECRET_KEYS: PRODUCTION_SECRETS.TOTP_SECRET_KEYS,
      CUSTOMER_TOKEN_SECRETS: PRODUCTION_SECRETS.CUSTOMER_TOKEN_SECRETS,
      PII_KEYS: PRODUCTION_SECRETS.PII_KEYS,
      ...env,
    }).wallet;

  it('development and test talk to the simulator with its public secrets; production refuses those', () => {
    const development = loadConfig({ NODE_ENV: 'development' }).wallet;
    expect(development).toMatchObject({ baseUrl: 'http://127.0.0.1:4010', timeoutMs: 10_000, maxRetries: 2 });
    expect(() => production({ ...PRODUCTION_WALLET, WALLET_API_SECRET: development.apiSecret })).toThrow(/public development secret/);
    expect(() => production({ ...PRODUCTION_WALLET, WALLET_CALLBACK_SECRET: `new-callback-secret-01,${development.callbackSecrets[0]}` })).toThrow(/public development secret/);
  });

  it.each(['WALLET_BASE_URL', 'WALLET_API_SECRET', 'WALLET_CALLBACK_SECRET'])('production requires %s', (name) => {
    const env: Record<string, string> = { ...PRODUCTION_WALLET };
    delete env[name];
    expect(() => production(env)).toThrow(ConfigError);
    expect(() => production(env)).toThrow(new RegExp(name));
  });

  it('callback secrets list several to rotate; settings are read and checked', () => {
    const wallet = production({
      ...PRODUCTION_WALLET,
      WALLET_BASE_URL: 'https://wallet.internal/',
      WALLET_CALLBACK_SECRET: 'newest-callback-secret, older-callback-secret',
      WALLET_TIMEOUT_MS: '2500',
      WALLET_BREAKER_RESET_MS: '5000',
      WALLET_REFUND_POLL_SECONDS: '60',
    });
    expect(wallet).toMatchObject({
      baseUrl: 'https://wallet.internal',
      callbackSecrets: ['newest-callback-secret', 'older-callback-secret'],
      timeoutMs: 2500,
      breaker: { resetTimeoutMs: 5000 },
      refundPollMs: 60_000,
    });
    expect(() => production({ ...PRODUCTION_WALLET, WALLET_BASE_URL: 'wallet.internal' })).toThrow(/http\(s\) URL/);
    expect(() => production({ ...PRODUCTION_WALLET, WALLET_API_SECRET: 'short' })).toThrow(/at least 16/);
    expect(() => production({ ...PRODUCTION_WALLET, WALLET_BREAKER_ERROR_PERCENT: '150' })).toThrow(/at most 100/);
  });
});

describe('customer contact keys (PII_KEYS)', () => {
  const key = Buffer.alloc(32, 9).toString('base64');
  const { PII_KEYS: _pii, ...withoutPii } = PRODUCTION_SECRETS;

  it('are required in production, and production refuses the public development key', () => {
    const webhookKey = Buffer.alloc(32, 7).toString('base64');
    expect(() => loadConfig({ NODE_ENV: 'production', ...withoutPii, WEBHOOK_SECRET_KEYS: webhookKey })).toThrow(/PII_KEYS is required in production/);
    expect(loadConfig({ NODE_ENV: 'production', ...withoutPii, WEBHOOK_SECRET_KEYS: webhookKey, PII_KEYS: key }).notifications.piiKeys).toEqual([Buffer.alloc(32, 9)]);
    const developmentKey = loadConfig({ NODE_ENV: 'development' }).notifications.piiKeys[0]!.toString('base64');
    expect(() => loadConfig({ NODE_ENV: 'production', ...withoutPii, WEBHOOK_SECRET_KEYS: webhookKey, PII_KEYS: developmentKey })).toThrow(/public development key/);
  });

  it('have a development key of their own, not the webhook one', () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    expect(config.notifications.piiKeys[0]!.equals(config.webhooks.secretKeys[0]!)).toBe(false);
  });

  it('take WeChat only whole: an app id needs its secret and template', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).notifications.wechat).toBeUndefined();
    expect(() => loadConfig({ NODE_ENV: 'test', WECHAT_APP_ID: 'wx1' })).toThrow(/WECHAT_APP_SECRET and WECHAT_TEMPLATE_ID/);
    expect(loadConfig({ NODE_ENV: 'test', WECHAT_APP_ID: 'wx1', WECHAT_APP_SECRET: 's', WECHAT_TEMPLATE_ID: 't' }).notifications.wechat).toEqual({
      apiUrl: 'https://api.weixin.qq.com',
      appId: 'wx1',
      appSecret: 's',
      templateId: 't',
    });
  });

  it('refuse a key of the wrong length and a bad SMTP_URL', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', PII_KEYS: 'c2hvcnQ=' })).toThrow(/PII_KEYS: key 1 must be 32 bytes/);
    expect(() => loadConfig({ NODE_ENV: 'test', SMTP_URL: 'http://mail' })).toThrow(/SMTP_URL/);
  });
});

describe('refund limits (four eyes)', () => {
  const limits = (REFUND_LIMITS?: string) => loadConfig({ NODE_ENV: 'test', ...(REFUND_LIMITS === undefined ? {} : { REFUND_LIMITS }) }).approvals.refundLimits;

  it('default to ¥500 for agents, ¥50,000 for supervisors and no limit for admins', () => {
    expect(limits()).toMatchObject({ agent: { CNY: 50_000 }, supervisor: { CNY: 5_000_000 }, admin: 'unlimited' });
  });

  it('replace the roles they name and keep the others', () => {
    expect(limits('agent=CNY:100000,USD:1000; supervisor=CNY:200000,USD:2000')).toEqual({
      agent: { CNY: 100_000, USD: 1_000 },
      supervisor: { CNY: 200_000, USD: 2_000 },
      admin: 'unlimited',
    });
    expect(limits('agent=CNY:100').supervisor).toEqual(expect.objectContaining({ CNY: 5_000_000 }));
    expect(limits('supervisor=unlimited').supervisor).toBe('unlimited');
  });

  it('refuse what they cannot read, naming it', () => {
    expect(() => limits('clerk=CNY:1')).toThrow(/REFUND_LIMITS: "clerk=CNY:1"/);
    expect(() => limits('agent=CNY:-5')).toThrow(/REFUND_LIMITS: "CNY:-5" for agent/);
    expect(() => limits('agent=cny:5')).toThrow(ConfigError);
    expect(() => limits('agent')).toThrow(ConfigError);
  });

  it('refuse a role that may decide less than the role below it (its proposals could wait for nobody)', () => {
    expect(() => limits('agent=CNY:100000;supervisor=CNY:50000')).toThrow(/supervisor may decide less CNY \(50000\) than agent \(100000\)/);
    expect(() => limits('agent=CNY:100,USD:100;supervisor=CNY:1000')).toThrow(/supervisor may decide less USD \(0\) than agent \(100\)/);
    expect(() => limits('supervisor=unlimited;admin=CNY:1')).toThrow(/supervisor is unlimited but admin is not/);
    expect(limits('agent=CNY:100;supervisor=CNY:100;admin=CNY:100')).toMatchObject({ admin: { CNY: 100 } });
  });
});

describe('operations configuration', () => {
  const ops = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }).ops;

  it('defaults: the worker probes on 3001, 25 s to shut down, outbox rows overdue after 15 minutes', () => {
    expect(ops({})).toMatchObject({ workerProbePort: 3001, shutdownGraceMs: 25_000, outboxOverdueMs: 15 * 60_000 });
  });

  it('reads WORKER_PROBE_PORT (0: any free port), SHUTDOWN_GRACE_MS and OUTBOX_OVERDUE_MINUTES', () => {
    expect(ops({ WORKER_PROBE_PORT: '0', SHUTDOWN_GRACE_MS: '5000', OUTBOX_OVERDUE_MINUTES: '3' })).toMatchObject({
      workerProbePort: 0,
      shutdownGraceMs: 5000,
      outboxOverdueMs: 180_000,
    });
  });

  it.each([
    [{ WORKER_PROBE_PORT: 'http' }, /WORKER_PROBE_PORT must be an integer >= 0/],
    [{ SHUTDOWN_GRACE_MS: '-1' }, /SHUTDOWN_GRACE_MS must be an integer >= 0/],
    [{ OUTBOX_OVERDUE_MINUTES: '0' }, /OUTBOX_OVERDUE_MINUTES must be an integer >= 1/],
  ])('refuses %j', (env, message) => {
    expect(() => ops(env)).toThrow(message);
  });
});

describe('logs and traces', () => {
  const load = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env });

  it('logs JSON at info by default; LOG_LEVEL changes the level; only development is pretty', () => {
    expect(load({}).logging).toEqual({ level: 'info', pretty: false });
    expect(load({ LOG_LEVEL: 'DEBUG' }).logging.level).toBe('debug');
    expect(load({ LOG_LEVEL: 'silent' }).logging.level).toBe('silent');
    expect(loadConfig({ NODE_ENV: 'development' }).logging.pretty).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', ...PRODUCTION_SECRETS, WEBHOOK_SECRET_KEYS: Buffer.alloc(32, 7).toString('base64') }).logging.pretty).toBe(false);
    expect(() => load({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"/);
  });

  it('traces only when an OTLP endpoint is set (and the SDK is not disabled)', () => {
    expect(load({}).tracing).toEqual({});
    expect(tracingConfig({})).toEqual({});
    expect(tracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({ endpoint: 'http://collector:4318' });
    expect(tracingConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector/v1/traces', OTEL_SERVICE_NAME: 'disputes-eu' })).toEqual({
      endpoint: 'https://collector/v1/traces',
      serviceName: 'disputes-eu',
    });
    expect(tracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toEqual({});
    expect(load({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).tracing.endpoint).toBe('http://collector:4318');
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, /OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'json' }, /OTEL_EXPORTER_OTLP_PROTOCOL must be one of http\/protobuf, http\/json, grpc/],
  ])('refuses %j', (env, message) => {
    expect(() => load(env)).toThrow(message);
  });
});

describe('the dispute filing window', () => {
  it('is 120 days unless DISPUTE_FILING_WINDOW_DAYS says otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).disputes.filingWindowDays).toBe(120);
    expect(loadConfig({ NODE_ENV: 'test', DISPUTE_FILING_WINDOW_DAYS: '540' }).disputes.filingWindowDays).toBe(540);
  });

  it('refuses to boot with a window that is not a whole number of days from 1 to 3650', () => {
    for (const bad of ['0', '-5', '12.5', 'ninety', '3651']) {
      expect(() => loadConfig({ NODE_ENV: 'test', DISPUTE_FILING_WINDOW_DAYS: bad })).toThrow(/DISPUTE_FILING_WINDOW_DAYS must be/);
    }
  });
});

describe('the agent session cache', () => {
  it('keeps a session 5 s by default; AUTH_SESSION_CACHE_MS changes it, 0 turns it off, a negative value refuses to boot', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).auth.sessionCacheMs).toBe(5000);
    expect(loadConfig({ NODE_ENV: 'test', AUTH_SESSION_CACHE_MS: '2000' }).auth.sessionCacheMs).toBe(2000);
    expect(loadConfig({ NODE_ENV: 'test', AUTH_SESSION_CACHE_MS: '0' }).auth.sessionCacheMs).toBe(0);
    expect(() => loadConfig({ NODE_ENV: 'test', AUTH_SESSION_CACHE_MS: '-1' })).toThrow(ConfigError);
  });
});

describe('HTTP server settings', () => {
  const http = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }).http;

  it('keeps an idle connection 65 s by default, longer than the usual load balancer (60 s)', () => {
    expect(http({}).keepAliveMs).toBe(65_000);
  });

  it('takes the time from HTTP_KEEP_ALIVE_SECONDS, and refuses zero or more than an hour', () => {
    expect(http({ HTTP_KEEP_ALIVE_SECONDS: '120' }).keepAliveMs).toBe(120_000);
    expect(() => http({ HTTP_KEEP_ALIVE_SECONDS: '0' })).toThrow(ConfigError);
    expect(() => http({ HTTP_KEEP_ALIVE_SECONDS: '3601' })).toThrow(/HTTP_KEEP_ALIVE_SECONDS must be at most 3600/);
  });

  it('reads the JSON body limit as people write sizes (100 kB by default, 1 kb = 1024 bytes), and refuses what is not a size', () => {
    expect(http({}).bodyLimitBytes).toBe(102_400);
    expect(http({ HTTP_BODY_LIMIT: '256kb' }).bodyLimitBytes).toBe(262_144);
    expect(http({ HTTP_BODY_LIMIT: '1MB' }).bodyLimitBytes).toBe(1_048_576);
    expect(http({ HTTP_BODY_LIMIT: '1.5mb' }).bodyLimitBytes).toBe(1_572_864);
    expect(http({ HTTP_BODY_LIMIT: '5000' }).bodyLimitBytes).toBe(5000);
    for (const wrong of ['0', 'lots', '10 kilobytes', '-1kb']) expect(() => http({ HTTP_BODY_LIMIT: wrong })).toThrow(/HTTP_BODY_LIMIT must be a size such as 100kb/);
  });
});

describe('database pool settings', () => {
  const database = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }).database;

  it('keep idle connections for ten minutes by default, so a burst finds warm ones', () => {
    expect(database({})).toMatchObject({ poolMax: 20, poolIdleMs: 600_000 });
  });

  it('take the pool size and the idle time from the environment, and refuse a zero', () => {
    expect(database({ DATABASE_POOL_MAX: '32', DATABASE_POOL_IDLE_SECONDS: '30' })).toMatchObject({ poolMax: 32, poolIdleMs: 30_000 });
    expect(() => database({ DATABASE_POOL_IDLE_SECONDS: '0' })).toThrow(ConfigError);
  });
});

describe('the deadline job horizon', () => {
  const workers = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }).workers;

  it('is 15 minutes by default, never less than three reconciler periods (each at least a minute), at most a year', () => {
    expect(workers({}).deadlineJobHorizonMs).toBe(900_000);
    expect(workers({ RECONCILE_INTERVAL_MS: '600000' }).deadlineJobHorizonMs).toBe(1_800_000);
    expect(workers({ DEADLINE_JOB_HORIZON_MS: '180000' }).deadlineJobHorizonMs).toBe(180_000);
    expect(workers({ DEADLINE_JOB_HORIZON_MS: '2592000000' }).deadlineJobHorizonMs).toBe(30 * 24 * 3600_000);
    expect(workers({ DEADLINE_JOB_HORIZON_MS: String(365 * 24 * 3600_000) }).deadlineJobHorizonMs).toBe(365 * 24 * 3600_000);
  });

  it.each([
    [{ DEADLINE_JOB_HORIZON_MS: '179999' }, /DEADLINE_JOB_HORIZON_MS must be at least three times max\(RECONCILE_INTERVAL_MS, 60000\), 180000, got "179999"/],
    [{ DEADLINE_JOB_HORIZON_MS: '900000', RECONCILE_INTERVAL_MS: '600000' }, /must be at least .*, 1800000, got "900000"/],
    [{ DEADLINE_JOB_HORIZON_MS: 'soon' }, /DEADLINE_JOB_HORIZON_MS must be an integer >= 1/],
    // "Off" spelled as a huge number would make now + horizon an invalid date.
    [{ DEADLINE_JOB_HORIZON_MS: '9007199254740991' }, /DEADLINE_JOB_HORIZON_MS must be at most 31536000000/],
  ])('refuses %j', (env, message) => {
    expect(() => workers(env)).toThrow(message);
  });
});
