import { ConfigError, loadConfig } from './config';

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
    const base = { EVIDENCE_STORAGE: 's3', S3_BUCKET: 'evidence', S3_ENDPOINT: 'http://minio:9000', S3_REGION: 'cn-hangzhou', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret' };
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

describe('webhook secret keys', () => {
  const key = Buffer.alloc(32, 7).toString('base64');

  it('are required in production, with a hint how to make one', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/WEBHOOK_SECRET_KEYS is required in production.*openssl rand -base64 32/);
    expect(loadConfig({ NODE_ENV: 'production', WEBHOOK_SECRET_KEYS: key, PII_KEYS: key }).webhooks.secretKeys).toEqual([Buffer.alloc(32, 7)]);
  });

  it('are required when NODE_ENV is not set either, and production refuses the public development key', () => {
    expect(() => loadConfig({})).toThrow(/WEBHOOK_SECRET_KEYS is not set.*NODE_ENV=development/);
    const developmentKey = loadConfig({ NODE_ENV: 'development' }).webhooks.secretKeys[0]!.toString('base64');
    expect(() => loadConfig({ NODE_ENV: 'production', WEBHOOK_SECRET_KEYS: developmentKey })).toThrow(/public development key/);
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

describe('customer contact keys (PII_KEYS)', () => {
  const key = Buffer.alloc(32, 9).toString('base64');

  it('are required in production, and production refuses the public development key', () => {
    const webhookKey = Buffer.alloc(32, 7).toString('base64');
    expect(() => loadConfig({ NODE_ENV: 'production', WEBHOOK_SECRET_KEYS: webhookKey })).toThrow(/PII_KEYS is required in production/);
    expect(loadConfig({ NODE_ENV: 'production', WEBHOOK_SECRET_KEYS: webhookKey, PII_KEYS: key }).notifications.piiKeys).toEqual([Buffer.alloc(32, 9)]);
    const developmentKey = loadConfig({ NODE_ENV: 'development' }).notifications.piiKeys[0]!.toString('base64');
    expect(() => loadConfig({ NODE_ENV: 'production', WEBHOOK_SECRET_KEYS: webhookKey, PII_KEYS: developmentKey })).toThrow(/public development key/);
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
