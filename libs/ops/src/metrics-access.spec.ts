import { loadConfig } from '@app/config';
import { metricsAccess } from './metrics-access';

describe('who may read /metrics', () => {
  const token = 'metrics-token-of-at-least-24-chars';
  const config = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env });
  const production = (env: Record<string, string> = {}) =>
    loadConfig({
      NODE_ENV: 'production',
      WEBHOOK_SECRET_KEYS: Buffer.alloc(32, 1).toString('base64'),
      TOTP_SECRET_KEYS: Buffer.alloc(32, 2).toString('base64'),
      PII_KEYS: Buffer.alloc(32, 3).toString('base64'),
      CUSTOMER_TOKEN_SECRETS: 'c'.repeat(32),
      WALLET_BASE_URL: 'https://wallet.internal',
      WALLET_API_SECRET: 'w'.repeat(16),
      WALLET_CALLBACK_SECRET: 'v'.repeat(16),
      ...env,
    });

  it('without METRICS_TOKEN: anyone in development and test, nobody in production', () => {
    expect(metricsAccess(config({}), undefined)).toBe('allowed');
    expect(metricsAccess(production(), undefined)).toBe('forbidden');
    expect(metricsAccess(production(), `Bearer ${token}`)).toBe('forbidden');
  });

  it('with METRICS_TOKEN: only its Bearer token, in any environment', () => {
    for (const settings of [config({ METRICS_TOKEN: token }), production({ METRICS_TOKEN: token })]) {
      expect(metricsAccess(settings, `Bearer ${token}`)).toBe('allowed');
      expect(metricsAccess(settings, undefined)).toBe('unauthenticated');
      expect(metricsAccess(settings, token)).toBe('unauthenticated');
      expect(metricsAccess(settings, `Bearer ${token}x`)).toBe('unauthenticated');
      expect(metricsAccess(settings, 'Bearer ')).toBe('unauthenticated');
    }
  });
});
