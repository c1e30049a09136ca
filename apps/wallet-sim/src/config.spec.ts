import { DEVELOPMENT_API_SECRET, DEVELOPMENT_CALLBACK_SECRET, loadSimConfig, SimConfigError } from './config';

describe('the simulator reads its configuration once from the environment', () => {
  it('has defaults that run the demo with no setup (development secrets, port 4010, its own database)', () => {
    const config = loadSimConfig({});
    expect(config).toMatchObject({
      port: 4010,
      databaseUrl: 'postgresql://postgres@127.0.0.1:5432/wallet_sim',
      apiSecrets: [DEVELOPMENT_API_SECRET],
      callbackSecret: DEVELOPMENT_CALLBACK_SECRET,
      usesDevelopmentSecrets: true,
      callbackUrl: null,
      settlementDelayMs: 1500,
      accountActionDelayMs: 300,
      timeoutHoldMs: 15_000,
      autoTransactions: false,
    });
  });

  it('takes several API secrets during a rotation', () => {
    const config = loadSimConfig({ WALLET_API_SECRET: 'new-secret-0123456789, old-secret-0123456789', WALLET_CALLBACK_SECRET: 'cb-secret-0123456789' });
    expect(config.apiSecrets).toEqual(['new-secret-0123456789', 'old-secret-0123456789']);
    expect(config.usesDevelopmentSecrets).toBe(false);
  });

  it('refuses a number that is not a non-negative integer, naming the variable', () => {
    expect(() => loadSimConfig({ SIM_SETTLEMENT_DELAY_MS: '1.5' })).toThrow(SimConfigError);
    expect(() => loadSimConfig({ WALLET_SIM_PORT: '-1' })).toThrow(/WALLET_SIM_PORT/);
  });
});
