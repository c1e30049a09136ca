import { loadConfig } from '@app/config';

describe('webhook retry schedule', () => {
  it('retries with growing delays for about 3 days by default', () => {
    const delays = loadConfig({ NODE_ENV: 'test' }).webhooks.retryDelaysMs;
    for (let i = 1; i < delays.length; i += 1) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!);
    const totalDays = delays.reduce((sum, ms) => sum + ms, 0) / 86_400_000;
    expect(totalDays).toBeGreaterThan(2.9);
    expect(totalDays).toBeLessThan(3.5);
    // Even with every delay shortened by the 20 % jitter, the horizon stays above two days.
    expect(totalDays * 0.8).toBeGreaterThan(2);
  });

  it('takes a shorter schedule from WEBHOOK_RETRY_DELAYS_MS and refuses nonsense', () => {
    expect(loadConfig({ NODE_ENV: 'test', WEBHOOK_RETRY_DELAYS_MS: '100, 200,400' }).webhooks.retryDelaysMs).toEqual([100, 200, 400]);
    expect(() => loadConfig({ NODE_ENV: 'test', WEBHOOK_RETRY_DELAYS_MS: '100,soon' })).toThrow(/WEBHOOK_RETRY_DELAYS_MS/);
  });

  it('parses intake tokens as name:token pairs and refuses short tokens', () => {
    expect(loadConfig({ NODE_ENV: 'test', INTAKE_SERVICE_TOKENS: 'wallet:abcdefghijklmnopqrstuvwxyz' }).merchantApi.intakeTokens).toEqual([
      { name: 'wallet', token: 'abcdefghijklmnopqrstuvwxyz' },
    ]);
    expect(() => loadConfig({ NODE_ENV: 'test', INTAKE_SERVICE_TOKENS: 'wallet:short' })).toThrow(/INTAKE_SERVICE_TOKENS/);
  });
});
