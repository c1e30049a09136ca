import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import Redis from 'ioredis';
import { Client } from 'pg';
import request from 'supertest';
import { CreateAgent } from '@app/auth';
import { loadConfig, type AppConfig, type Clock } from '@app/config';
import { databaseNameOf, databaseUrlFor, dropDatabase, ensureDatabase } from '@app/db';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { shutdownApi } from '../../apps/api/src/shutdown';
import { startWalletSim, type WalletSim } from './wallet-sim';

export const TEST_PASSWORD = 'correct-horse-battery';
/** A folder with no build in it: API tests do not depend on whether the admin UI was built. */
const NO_ADMIN_UI = '/nonexistent/admin-ui';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  /** The environment `config` was loaded from: for the app's processes a test starts beside it (apps/worker/src/main.ts, …). */
  env: Record<string, string>;
  http: ReturnType<typeof request>;
  /** Authorization header value for the admin agent. */
  auth: string;
  adminId: string;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  redis: Redis;
  login(email: string, role: 'agent' | 'supervisor' | 'admin'): Promise<{ auth: string; id: string }>;
  /** Registers a merchant (through the admin API) with a secret and a restricted key. */
  createMerchant(id?: string): Promise<TestMerchant>;
  /**
   * `m_1`, the merchant of disputeBody(), registered at start with its keys: a dispute is forwarded
   * only to a merchant who can hear of it, and most tests forward one without caring who it is.
   */
  defaultMerchant: TestMerchant;
  /** Where this app stores evidence files (a temporary folder, removed on close). */
  storageDir: string;
  /** `Authorization` value for the intake API. */
  intakeAuth: string;
  /** The wallet simulator this app talks to (a child process with a database of its own); callbacks come back to this app. */
  wallet: WalletSim;
  close(): Promise<void>;
}

/**
 * A real API (workers in-process) on a fresh database cloned from the migrated template, with its
 * own BullMQ key prefix, talking to the real PostgreSQL and Redis.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  /**
   * adminDir: serve this built admin UI at /admin (browser tests); by default none is served.
   * walletSimEnv: extra environment for the wallet simulator (SIM_TIMEOUT_HOLD_MS, …).
   * walletApiSecret: the secret requests to the wallet are signed with (a test's own receiver of the
   * wallet's notification service checks it too); random by default.
   * clock: time as the app sees it.
   */
  options: { adminDir?: string; walletSimEnv?: Record<string, string>; walletApiSecret?: string; clock?: Clock } = {},
): Promise<TestApp> {
  const template = process.env.TEST_TEMPLATE_DATABASE_URL;
  const runId = process.env.TEST_RUN_ID;
  if (!template || !runId) throw new Error('integration tests need the global setup (run them through jest --selectProjects integration)');
  const suffix = randomBytes(4).toString('hex');
  const storageDir = mkdtempSync(join(tmpdir(), 'evidence-test-'));
  const intakeToken = `wallet-test-token-${randomBytes(16).toString('hex')}`;
  const databaseUrl = databaseUrlFor(template, `dispute_test_${runId}_${suffix}`);
  // The app's database is cloned while the wallet simulator boots (neither needs the other).
  const [cloned, booted] = await Promise.allSettled([
    ensureDatabase(databaseUrl, { template: databaseNameOf(template) }),
    // Every app talks to a real wallet simulator; unknown references are created on first look-up.
    startWalletSim({
      autoTransactions: true,
      apiSecret: options.walletApiSecret,
      env: { SIM_SETTLEMENT_DELAY_MS: '300', SIM_ACCOUNT_ACTION_DELAY_MS: '100', SIM_CALLBACK_RETRY_BASE_MS: '200', ...options.walletSimEnv },
    }),
  ]);
  if (cloned.status === 'rejected' || booted.status === 'rejected') {
    // Nothing half-started stays behind: a running simulator would keep Jest from exiting.
    if (booted.status === 'fulfilled') await booted.value.stop().catch(() => undefined);
    throw cloned.status === 'rejected' ? cloned.reason : (booted as PromiseRejectedResult).reason;
  }
  const wallet = booted.value;

  // The environment the app is configured from; child processes (a worker, an API) run with it too.
  const appEnv: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: '40',
    QUEUE_PREFIX: `{t${runId}${suffix}}`,
    RUN_WORKERS_IN_PROCESS: 'true',
    RECONCILE_INTERVAL_MS: '60000',
    OUTBOX_RELAY_AFTER_MS: '0',
    STORAGE_DIR: storageDir,
    // Webhook receivers in tests listen on 127.0.0.1.
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    INTAKE_SERVICE_TOKENS: `wallet:${intakeToken}`,
    WALLET_BASE_URL: wallet.baseUrl,
    WALLET_API_SECRET: wallet.apiSecret,
    WALLET_CALLBACK_SECRET: wallet.callbackSecret,
    WALLET_TIMEOUT_MS: '3000',
    WALLET_RETRY_DELAY_MS: '50',
    // argon2id at the cheapest cost (NODE_ENV=test allows it): the suite makes hundreds of agents,
    // and at the production cost (64 MiB, three passes) their hashes took half a second per app start.
    PASSWORD_HASH_MEMORY_KIB: '1024',
    PASSWORD_HASH_ITERATIONS: '1',
    PASSWORD_HASH_PARALLELISM: '1',
    // Lets a run use a Redis of its own (two tests FLUSHALL theirs).
    ...(process.env.REDIS_PORT ? { REDIS_PORT: process.env.REDIS_PORT } : {}),
    ...env,
  };
  const startApp = async () => {
    const config = loadConfig(appEnv);
    const app = await createApiApp(config, { log: { level: 'error' }, adminDir: options.adminDir ?? NO_ADMIN_UI, clock: options.clock });
    // A real listening socket: supertest's per-request ephemeral servers reset under concurrency.
    await app.listen(0, '127.0.0.1');
    const appUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    await wallet.setCallbackUrl(appUrl);
    return { config, app, appUrl };
  };
  // A failed start must not leave the simulator process behind (Jest would never exit).
  const { config, app, appUrl } = await startApp().catch(async (error: unknown) => {
    await wallet.stop();
    throw error;
  });
  const http = request(appUrl);

  const pg = new Client({ connectionString: databaseUrl });
  // A test that failed before closing leaves this open; the run's teardown then drops the database
  // under it, which must not crash the test process with an unhandled 'error' event.
  pg.on('error', () => undefined);
  await pg.connect();
  const redis = new Redis({ host: config.redis.host, port: config.redis.port, db: config.redis.db, maxRetriesPerRequest: 3 });

  const login = async (email: string, role: 'agent' | 'supervisor' | 'admin') => {
    const agent = await RequestContext.create(app.get(MikroORM).em, () =>
      app.get(CreateAgent).execute({ email, displayName: email.split('@')[0]!, role, password: TEST_PASSWORD }),
    );
    const response = await http.post('/v1/auth/login').send({ email, password: TEST_PASSWORD }).expect(200);
    return { auth: `Bearer ${response.body.token}`, id: agent.id };
  };
  const admin = await login('admin@test.local', 'admin');

  const createMerchant = async (id = `m_${randomBytes(4).toString('hex')}`): Promise<TestMerchant> => {
    await http
      .post('/v1/admin/merchants')
      .set('Authorization', admin.auth)
      .send({ id, name: `Merchant ${id}` })
      .expect(201);
    const secret = await http.post(`/v1/admin/merchants/${id}/api-keys`).set('Authorization', admin.auth).send({ kind: 'secret' }).expect(201);
    const restricted = await http.post(`/v1/admin/merchants/${id}/api-keys`).set('Authorization', admin.auth).send({ kind: 'restricted' }).expect(201);
    return { id, auth: `Bearer ${secret.body.key}`, readOnlyAuth: `Bearer ${restricted.body.key}`, keyId: secret.body.id };
  };
  const defaultMerchant = await createMerchant(DEFAULT_MERCHANT_ID);

  return {
    app,
    config,
    env: appEnv,
    http,
    auth: admin.auth,
    adminId: admin.id,
    redis,
    login,
    createMerchant,
    defaultMerchant,
    storageDir,
    intakeAuth: `Bearer ${intakeToken}`,
    wallet,
    sql: async <T>(text: string, params: unknown[] = []) => (await pg.query(text, params)).rows as T[],
    async close() {
      // As the API process on SIGTERM: a plain app.close() leaves a keep-alive connection that was
      // busy at that moment open for HTTP_KEEP_ALIVE_SECONDS (65 s, past Jest's hook timeout).
      try {
        await closeStep(
          'the app (shutdownApi)',
          async () => {
            const { http, workersCutOff } = await shutdownApi(app, config);
            // Work a test left running is cut off at SHUTDOWN_GRACE_MS: said, not hidden.
            if (http === 'cut_off' || workersCutOff > 0) {
              process.stderr.write(`[test-app] closed with work cut off after ${config.ops.shutdownGraceMs} ms: requests ${http}, ${workersCutOff} worker(s) with jobs running\n`);
            }
          },
          () => whatHoldsTheApp(app, databaseUrl),
        );
      } finally {
        // The rest is cleaned up whatever the app's close did.
        await closeStep('the wallet simulator', () => wallet.stop());
        await pg.end();
        await closeStep("the app's Redis keys", async () => {
          const keys = await redis.keys(`${config.queues.prefix}*`);
          if (keys.length) await redis.del(...keys);
        });
        redis.disconnect();
        await closeStep("the app's database", () => dropDatabase(databaseUrl));
        rmSync(storageDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * One step of closing a test app. A close that outlasts Jest's hook timeout fails the file with no
 * word of where it stuck (CI runs on busy machines saw it): a step still running after
 * SLOW_CLOSE_STEP_MS says so on stderr, with what the process still has open.
 */
async function closeStep(what: string, step: () => Promise<unknown>, describeStuck: () => Promise<string> = async () => ''): Promise<void> {
  const began = Date.now();
  let looking = false; // one look at a time: what is stuck may be what the look needs
  const watchdog = setInterval(() => {
    if (looking) return;
    looking = true;
    const resources = process.getActiveResourcesInfo().join(', ');
    void describeStuck()
      .catch((error: unknown) => `(could not look: ${String(error)})`)
      .then((detail) =>
        process.stderr.write(`[test-app] closing ${what}: still running after ${Math.round((Date.now() - began) / 1000)} s (open: ${resources})${detail ? `\n${detail}` : ''}\n`),
      )
      .finally(() => (looking = false));
  }, SLOW_CLOSE_STEP_MS);
  watchdog.unref();
  try {
    await step();
  } finally {
    clearInterval(watchdog);
  }
}
const SLOW_CLOSE_STEP_MS = 15_000;

/**
 * What a close can wait for: the HTTP server's open connections, the connection pool (its close
 * waits for every connection in use) and what the database's sessions are doing.
 */
async function whatHoldsTheApp(app: INestApplication, databaseUrl: string): Promise<string> {
  const server = app.getHttpServer() as Server;
  const connections = await new Promise<number>((resolve) => server.getConnections((error, count) => resolve(error ? -1 : count)));
  const pool = (app.get(MikroORM).em.getConnection() as unknown as { getKnex(): { client: { pool?: KnexPool } } }).getKnex().client.pool;
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000, query_timeout: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const sessions = await client.query<Record<string, unknown>>(
      `select pid, state, wait_event_type, wait_event, now() - xact_start as in_transaction, left(query, 160) as query
         from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'`,
    );
    const poolLine = pool ? `pool: ${pool.numUsed()} in use, ${pool.numFree()} free, ${pool.numPendingAcquires()} waiting` : 'pool: gone';
    return [`HTTP: ${connections} connection(s) open`, poolLine, ...sessions.rows.map((row) => JSON.stringify(row))].join('\n');
  } finally {
    await client.end();
  }
}
interface KnexPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

export interface TestMerchant {
  id: string;
  /** `Authorization` value with the merchant's secret (sk_live_) key. */
  auth: string;
  /** `Authorization` value with the merchant's restricted, read-only (rk_live_) key. */
  readOnlyAuth: string;
  keyId: string;
}

/** The merchant of disputeBody(); every test app registers it (defaultMerchant), so its disputes can be forwarded. */
export const DEFAULT_MERCHANT_ID = 'm_1';

export function disputeBody(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'dispute',
    channel: 'hotline',
    subject: 'Parcel never arrived',
    customer: { id: 'u_1', name: '王小明' },
    merchantId: DEFAULT_MERCHANT_ID,
    transactionRef: `TX-${randomBytes(4).toString('hex')}`,
    amount: { amountMinor: 10_000, currency: 'CNY' },
    reason: 'not_received',
    ...overrides,
  };
}
