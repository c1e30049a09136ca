import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
// Imported by file, not through @app/db: the harness needs only the pg helpers, not MikroORM.
import { databaseUrlFor, dropDatabase } from '../../libs/db/src/database-admin';

export interface WalletSimOptions {
  /** Extra environment for the simulator (SIM_SETTLEMENT_DELAY_MS, SIM_TIMEOUT_HOLD_MS, …). */
  env?: Record<string, string>;
  /** The engine's base URL for callbacks; may also be set later with setCallbackUrl. */
  callbackUrl?: string;
  /** SIM_AUTO_TRANSACTIONS (default true, as the contract suggests for tests). */
  autoTransactions?: boolean;
  apiSecret?: string;
  callbackSecret?: string;
  /** Print the simulator's log lines (they are kept for failure messages either way). */
  verbose?: boolean;
}

export interface SeedTransaction {
  ref: string;
  amount_minor: number;
  currency: string;
  merchant_id?: string | null;
  payer_id?: string;
  status?: 'pending' | 'captured' | 'failed' | 'reversed';
  funding_sources?: Array<{ type: 'balance' | 'bank_card' | 'credit'; account_ref: string; amount_minor: number }>;
  /** When the payment happened (ISO 8601); now by default. */
  created_at?: string;
}

export interface SimCallback {
  id: string;
  type: string;
  event: { id: string; type: string; created_at: string; data: Record<string, unknown> };
  copies: number;
  delivered_count: number;
  status: 'pending' | 'delivered' | 'given_up';
  attempts: Array<{ attempt: number; url: string; status_code: number | null; error: string | null; attempted_at: string }>;
}

export interface SimNotification {
  notification_id: string;
  idempotency_key: string;
  channel: 'push' | 'sms';
  user_id: string;
  phone: string | null;
  locale: string;
  title: string;
  body: string;
  created_at: string;
}

export interface WalletSim {
  baseUrl: string;
  apiSecret: string;
  callbackSecret: string;
  databaseUrl: string;
  setCallbackUrl(url: string | null): Promise<void>;
  createTransaction(transaction: SeedTransaction): Promise<Record<string, unknown>>;
  settleRefund(idempotencyKey: string): Promise<Record<string, unknown>>;
  failRefund(idempotencyKey: string, failureReason?: string): Promise<Record<string, unknown>>;
  /** The wallet's own ledger of refunds (GET /sim/refunds). */
  refunds(): Promise<Array<Record<string, any>>>;
  callbacks(): Promise<SimCallback[]>;
  notifications(): Promise<SimNotification[]>;
  /** What the wallet did to an account (frozen, credential resets, ledger entries); null if nothing yet. */
  account(accountId: string): Promise<{ frozen: boolean; credential_resets: number; sessions_revoked_at: string | null; ledger_entries: Array<Record<string, any>> } | null>;
  /** A transaction as the wallet holds it (with refunded_minor); null if unknown. */
  transaction(ref: string): Promise<Record<string, any> | null>;
  seedPendingTransaction(accountId: string, item: { ref: string; amount_minor: number; currency: string; status?: 'pending' | 'settled' | 'failed' }): Promise<void>;
  settlePendingTransaction(ref: string): Promise<void>;
  /** Stops the process (SIGTERM) and starts it again on the same port and database. */
  restart(): Promise<void>;
  /** The simulator's output so far (for failure messages). */
  output(): string;
  /** Kills the process and drops its database. */
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');
/** Simulators still running when the test process exits (a test that never called stop()) are killed. */
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/**
 * The JavaScript the run's global setup transpiled once (test/support/wallet-sim-build.ts): from
 * the TypeScript through ts-node, every start cost over a second of CPU.
 */
function builtMain(): string {
  const built = process.env.TEST_WALLET_SIM_MAIN;
  if (!built) throw new Error('the wallet simulator is built by the global setup (run the tests through jest --selectProjects integration)');
  return built;
}
const BOOT_TIMEOUT_MS = 30_000;

/**
 * The wallet simulator as a real child process (as the demo and docker-compose run it) on a free
 * port, with a throwaway database `wallet_sim_<random>` that stop() drops.
 */
export async function startWalletSim(options: WalletSimOptions = {}): Promise<WalletSim> {
  const base = process.env.TEST_TEMPLATE_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  // The run id (global setup) lets the global teardown drop what a crashed test file left behind.
  const databaseUrl = databaseUrlFor(base, `wallet_sim_${process.env.TEST_RUN_ID ?? ''}${randomBytes(6).toString('hex')}`);
  const apiSecret = options.apiSecret ?? `sim-api-${randomBytes(16).toString('hex')}`;
  const callbackSecret = options.callbackSecret ?? `sim-callback-${randomBytes(16).toString('hex')}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    WALLET_SIM_DATABASE_URL: databaseUrl,
    WALLET_SIM_HOST: '127.0.0.1',
    WALLET_API_SECRET: apiSecret,
    WALLET_CALLBACK_SECRET: callbackSecret,
    SIM_AUTO_TRANSACTIONS: String(options.autoTransactions ?? true),
    ...(options.callbackUrl ? { WALLET_CALLBACK_URL: options.callbackUrl } : {}),
    ...options.env,
  };

  let output = '';
  let child: ChildProcess;
  let port = 0;
  const boot = async () => {
    child = spawn(process.execPath, ['--enable-source-maps', builtMain()], {
      cwd: ROOT,
      env: { ...env, WALLET_SIM_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    child.once('exit', () => running.delete(child));
    const listening = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`wallet-sim did not start within ${BOOT_TIMEOUT_MS} ms:\n${output}`)), BOOT_TIMEOUT_MS);
      const onData = (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        output += text;
        if (options.verbose) process.stdout.write(text);
        const match = /wallet-sim listening on (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`wallet-sim exited with ${code} before listening:\n${output}`));
      });
    });
    try {
      const url = await listening;
      port = Number(new URL(url).port);
      return url;
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  };
  const stopProcess = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(forced);
  };

  let baseUrl: string;
  try {
    baseUrl = await boot();
  } catch (error) {
    await dropDatabase(databaseUrl).catch(() => undefined);
    throw error;
  }
  const control = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const parsed = await response.json();
    if (!response.ok) throw new Error(`wallet-sim ${method} ${path} answered ${response.status}: ${JSON.stringify(parsed)}`);
    return parsed;
  };
  const encode = encodeURIComponent;
  const lookUp = async (path: string): Promise<any> => {
    const response = await fetch(`${baseUrl}${path}`);
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`wallet-sim GET ${path} answered ${response.status}`);
    return response.json();
  };

  return {
    baseUrl,
    apiSecret,
    callbackSecret,
    databaseUrl,
    setCallbackUrl: async (url) => void (await control('POST', '/sim/config', { callback_url: url })),
    createTransaction: (transaction) => control('POST', '/sim/transactions', { payer_id: 'u_test_payer', ...transaction }),
    settleRefund: (key) => control('POST', `/sim/refunds/${encode(key)}/settle`, {}),
    failRefund: (key, failureReason) => control('POST', `/sim/refunds/${encode(key)}/fail`, failureReason ? { failure_reason: failureReason } : {}),
    refunds: async () => (await control('GET', '/sim/refunds')).data,
    callbacks: async () => (await control('GET', '/sim/callbacks')).data,
    notifications: async () => (await control('GET', '/sim/notifications')).data,
    account: (accountId) => lookUp(`/sim/accounts/${encode(accountId)}`),
    transaction: (ref) => lookUp(`/sim/transactions/${encode(ref)}`),
    seedPendingTransaction: async (accountId, item) => void (await control('POST', `/sim/accounts/${encode(accountId)}/pending-transactions`, item)),
    settlePendingTransaction: async (ref) => void (await control('POST', `/sim/transactions/${encode(ref)}/settle`, {})),
    async restart() {
      await stopProcess();
      await boot();
    },
    output: () => output,
    async stop() {
      await stopProcess();
      await dropDatabase(databaseUrl);
    },
  };
}
