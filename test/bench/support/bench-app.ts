import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { CreateAgent, type AuthenticatedAgent } from '@app/auth';
import { loadConfig, type AppConfig } from '@app/config';
import { databaseUrlFor, dropDatabase, ensureDatabase, migrateDatabase } from '@app/db';
import { QUEUES } from '@app/queues';
import { createApiApp } from '../../../apps/api/src/bootstrap';
import { shutdownApi } from '../../../apps/api/src/shutdown';
import { JsonClient } from './http-client';
import { procCpuMs } from './instrumentation';

const BENCH_PASSWORD = 'bench-password-not-secret';

export interface BenchApp {
  app: INestApplication;
  config: AppConfig;
  databaseUrl: string;
  baseUrl: URL;
  /** `Bearer …` of the bench agent, obtained through POST /v1/auth/login. */
  authorization: string;
  agent: AuthenticatedAgent;
  /** A small pool of its own, for seeding and reading statistics beside the app. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs use cases the way a request does: inside a MikroORM request context. */
  inRequestContext<T>(work: () => Promise<T>): Promise<T>;
  get<T>(token: unknown): T;
  /**
   * CPU time (ms) the separate worker process has used so far (all its threads); null when the
   * workers run in-process or there is no /proc.
   */
  workerProcessCpuMs(): number | null;
  /** Waits until the effect workers have caught up; false when the timeout came first. */
  waitForEffectsIdle(timeoutMs: number): Promise<boolean>;
  /** Stops the API and its workers (idempotent), keeping the database for later phases. */
  stopApp(): Promise<void>;
  /** Stops everything and removes every trace: Redis keys of the prefix, the database. */
  close(): Promise<void>;
}

export interface BenchAppOptions {
  /** Extra environment for loadConfig, e.g. DATABASE_POOL_MAX. */
  env?: Record<string, string>;
  /**
   * `separate-process`: the BullMQ workers run in their own process (apps/worker, from dist), as
   * docker-compose runs them in production; the API process then only serves HTTP.
   * Default `in-process` (the one-command demo's setup).
   */
  workers?: 'in-process' | 'separate-process';
}

/** Where throwaway databases are created; any database on the server works as the entry point. */
export function benchServerUrl(): string {
  return process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

/**
 * The real API with its workers (in-process, or in a worker process of their own), on a throwaway migrated database and its own BullMQ prefix,
 * listening on 127.0.0.1 with an ephemeral port, plus a logged-in agent. Configured like
 * production (NODE_ENV=production, no query debug) so the numbers mean something.
 */
export async function startBenchApp(options: BenchAppOptions = {}): Promise<BenchApp> {
  const suffix = randomBytes(4).toString('hex');
  const databaseUrl = databaseUrlFor(benchServerUrl(), `dispute_bench_${suffix}`);
  const cleanups: Array<() => Promise<unknown>> = [];
  let cleaning: Promise<void> | undefined;
  // Idempotent: a signal can arrive while the normal cleanup is already running.
  const cleanUp = () =>
    (cleaning ??= (async () => {
      // Last registered, first undone; keep going so one failure does not leave the rest behind.
      for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error(`bench cleanup: ${error}`));
    })());

  // Ctrl-C must not leave a database behind. The app itself listens to no signal (apps/api's
  // main.ts does, not createApiApp), so this handler closes it; it stays subscribed until the very
  // last cleanup step, so a second signal meanwhile does not cut the cleanup short.
  const onSignal = (signal: NodeJS.Signals) => {
    if (cleaning) return;
    console.error(`\nbench: ${signal}, cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  cleanups.push(async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });

  try {
    await ensureDatabase(databaseUrl);
    cleanups.push(() => dropDatabase(databaseUrl));
    await migrateDatabase(databaseUrl);
    const separateWorkers = options.workers === 'separate-process';
    const environment: Record<string, string> = {
      NODE_ENV: 'production',
      // Production requires the sealing keys and the customer-token secret; throwaway ones per run.
      WEBHOOK_SECRET_KEYS: randomBytes(32).toString('base64'),
      TOTP_SECRET_KEYS: randomBytes(32).toString('base64'),
      PII_KEYS: randomBytes(32).toString('base64'),
      CUSTOMER_TOKEN_SECRETS: randomBytes(32).toString('base64'),
      // The benchmark's agents sign in with passwords only (two-factor login is measured nowhere here).
      TOTP_REQUIRED_ROLES: '',
      DATABASE_URL: databaseUrl,
      QUEUE_PREFIX: `{bench${suffix}}`,
      RUN_WORKERS_IN_PROCESS: separateWorkers ? 'false' : 'true',
      HOST: '127.0.0.1',
      PORT: '0',
      REDIS_HOST: process.env.REDIS_HOST ?? '127.0.0.1',
      REDIS_PORT: process.env.REDIS_PORT ?? '6379',
      // The reconciler compares every pending deadline with Redis; in a 20 s run it would only add noise.
      RECONCILE_INTERVAL_MS: '600000',
      // The customer case read sends a customer's requests far faster than a person would; the limiter
      // still runs (its Redis call is part of what a customer's request costs), it never refuses.
      CUSTOMER_RATE_LIMIT_PER_MINUTE: '1000000',
      // A separate worker process's probe server: any free port, never one a real worker uses.
      WORKER_PROBE_PORT: '0',
      // The benchmarks' cases name no transaction, so nothing asks the wallet; production config still wants one.
      WALLET_BASE_URL: 'http://127.0.0.1:9',
      WALLET_API_SECRET: randomBytes(24).toString('hex'),
      WALLET_CALLBACK_SECRET: randomBytes(24).toString('hex'),
      // AUTH_SESSION_CACHE_MS=0 measures the API reading every agent session from PostgreSQL.
      ...(process.env.AUTH_SESSION_CACHE_MS !== undefined ? { AUTH_SESSION_CACHE_MS: process.env.AUTH_SESSION_CACHE_MS } : {}),
      // EFFECT_BATCH_WINDOW_MS=0 measures a BullMQ job per notification, as before round 19.
      ...(process.env.EFFECT_BATCH_WINDOW_MS !== undefined ? { EFFECT_BATCH_WINDOW_MS: process.env.EFFECT_BATCH_WINDOW_MS } : {}),
      // DEADLINE_JOB_HORIZON_MS=2592000000 (30 days) gives every deadline its job at once, as before round 20.
      ...(process.env.DEADLINE_JOB_HORIZON_MS !== undefined ? { DEADLINE_JOB_HORIZON_MS: process.env.DEADLINE_JOB_HORIZON_MS } : {}),
      ...options.env,
    };
    const config = loadConfig(environment);

    const redis = new Redis({ host: config.redis.host, port: config.redis.port, password: config.redis.password, db: config.redis.db, lazyConnect: true });
    cleanups.push(async () => {
      await deleteKeys(redis, `${config.queues.prefix}*`);
      redis.disconnect();
    });

    const pool = new Pool({ connectionString: databaseUrl, max: 4 });
    cleanups.push(() => pool.end());

    const worker = separateWorkers ? await startWorkerProcess(environment) : undefined;
    // Stopped by stopApp below as well (stop() is idempotent); this covers the API failing to start.
    if (worker) cleanups.push(() => worker.stop());
    const app = await createApiApp(config, { log: { level: 'warn' } });
    let appRunning = true;
    const stopApp = async () => {
      if (!appRunning) return;
      appRunning = false;
      // As the API process on SIGTERM (a plain app.close() waits out the keep-alive of a connection busy at that moment).
      await Promise.all([shutdownApi(app, config), worker?.stop()]);
    };
    cleanups.push(stopApp);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const baseUrl = new URL(`http://127.0.0.1:${port}`);

    const inRequestContext = <T>(work: () => Promise<T>) => RequestContext.create(app.get(MikroORM).em, work);
    const email = `bench-${suffix}@bench.local`;
    const agent = await inRequestContext(() => app.get(CreateAgent).execute({ email, displayName: 'Bench agent', role: 'agent', password: BENCH_PASSWORD }));
    const client = new JsonClient(baseUrl);
    const login = await client.post<{ token: string }>('/v1/auth/login', { email, password: BENCH_PASSWORD });
    client.close();
    if (login.status !== 200) throw new Error(`bench login failed: ${login.status} ${JSON.stringify(login.body)}`);

    const effects = app.get<Queue>(getQueueToken(QUEUES.effects));
    return {
      app,
      config,
      databaseUrl,
      baseUrl,
      authorization: `Bearer ${login.body.token}`,
      agent,
      sql: async <T>(text: string, params: unknown[] = []) => (await pool.query(text, params)).rows as T[],
      inRequestContext,
      get: <T>(token: unknown) => app.get(token as never) as T,
      async waitForEffectsIdle(timeoutMs: number) {
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
          const counts = await effects.getJobCounts('waiting', 'active', 'prioritized');
          if (Object.values(counts).every((count) => count === 0)) return true;
          await new Promise((resolveTimer) => setTimeout(resolveTimer, 100));
        }
        return false;
      },
      workerProcessCpuMs: () => (worker ? procCpuMs(`/proc/${worker.child.pid}/stat`) : null),
      stopApp,
      close: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  // SCAN rather than KEYS: the Redis may be shared with tests running at the same time.
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** apps/worker as built into dist (npm run bench builds first), with the API's environment. */
async function startWorkerProcess(environment: Record<string, string>): Promise<{ child: ChildProcess; stop(): Promise<void> }> {
  const main = join(__dirname, '../../../apps/worker/src/main.js');
  // BENCH_WORKER_NODE_ARGS: node flags for the worker alone, e.g. "--cpu-prof --cpu-prof-dir=/tmp/worker-profile"
  // (NODE_OPTIONS refuses --cpu-prof).
  const nodeArgs = process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, main], { env: { ...process.env, ...environment }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  await new Promise<void>((resolveReady, rejectReady) => {
    let output = '';
    const timer = setTimeout(() => rejectReady(new Error(`worker process not ready after 30 s:\n${output}`)), 30_000);
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('processing deadlines and effects')) {
        clearTimeout(timer);
        // From here on its log is drained and dropped, so a full pipe never blocks it.
        child.stdout!.off('data', onOutput);
        child.stdout!.resume();
        resolveReady();
      }
    };
    child.stdout!.on('data', onOutput);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rejectReady(new Error(`worker process exited with ${code} before it was ready:\n${output}`));
    });
  });
  return {
    child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
