/**
 * The simulator's whole configuration, read from the environment once at boot. The simulator is
 * a separate party (it stands in for the wallet team's service), so it keeps its own config
 * instead of sharing the engine's libs/config.
 */
export interface SimConfig {
  /** 0 = any free port (the URL is printed at boot). */
  port: number;
  host: string;
  databaseUrl: string;
  /** Secrets the engine may sign its requests with (several during a rotation). */
  apiSecrets: string[];
  /** The secret the simulator signs its callbacks with. */
  callbackSecret: string;
  /** The engine's base URL; callbacks go to `${callbackUrl}/v1/wallet/events`. May be set later by POST /sim/config. */
  callbackUrl: string | null;
  settlementDelayMs: number;
  accountActionDelayMs: number;
  timeoutHoldMs: number;
  /** Unknown references are created on first look-up (tests and demo). */
  autoTransactions: boolean;
  /** True when a secret was not set and the public development one stands in (logged at boot). */
  usesDevelopmentSecrets: boolean;
  callbackRetryBaseMs: number;
  callbackRetryMaxMs: number;
  callbackMaxAttempts: number;
  callbackTimeoutMs: number;
}

export class SimConfigError extends Error {}

/**
 * Public development secrets, the same as the engine's development defaults (libs/config), so
 * `npm run demo` needs no setup. The engine refuses them in production; set real ones there.
 */
export const DEVELOPMENT_API_SECRET = 'wallet-sim-development-api-secret';
export const DEVELOPMENT_CALLBACK_SECRET = 'wallet-sim-development-callback-secret';

type Env = Record<string, string | undefined>;

export function loadSimConfig(env: Env): SimConfig {
  const apiSecret = env.WALLET_API_SECRET?.trim() || DEVELOPMENT_API_SECRET;
  const callbackSecret = env.WALLET_CALLBACK_SECRET?.trim() || DEVELOPMENT_CALLBACK_SECRET;
  return {
    port: integer(env, 'WALLET_SIM_PORT', 4010),
    host: env.WALLET_SIM_HOST ?? '0.0.0.0',
    databaseUrl: env.WALLET_SIM_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/wallet_sim',
    apiSecrets: apiSecret
      .split(',')
      .map((secret) => secret.trim())
      .filter(Boolean),
    callbackSecret,
    callbackUrl: env.WALLET_CALLBACK_URL?.trim() || null,
    settlementDelayMs: integer(env, 'SIM_SETTLEMENT_DELAY_MS', 1500),
    accountActionDelayMs: integer(env, 'SIM_ACCOUNT_ACTION_DELAY_MS', 300),
    timeoutHoldMs: integer(env, 'SIM_TIMEOUT_HOLD_MS', 15_000),
    autoTransactions: env.SIM_AUTO_TRANSACTIONS === 'true',
    usesDevelopmentSecrets: apiSecret === DEVELOPMENT_API_SECRET || callbackSecret === DEVELOPMENT_CALLBACK_SECRET,
    callbackRetryBaseMs: integer(env, 'SIM_CALLBACK_RETRY_BASE_MS', 1000),
    callbackRetryMaxMs: integer(env, 'SIM_CALLBACK_RETRY_MAX_MS', 60_000),
    callbackMaxAttempts: integer(env, 'SIM_CALLBACK_MAX_ATTEMPTS', 10),
    callbackTimeoutMs: integer(env, 'SIM_CALLBACK_TIMEOUT_MS', 10_000),
  };
}

function integer(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new SimConfigError(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}
