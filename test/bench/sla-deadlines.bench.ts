import { randomBytes } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { PostCommitDispatcher } from '@app/cases';
import { QUEUES, jobIds, redisConnectionOptions, type JobPayloads } from '@app/queues';
import { Reconciler } from '@app/workers';
import { startBenchApp, type BenchApp } from './support/bench-app';
import type { Benchmark, BenchmarkReport, ReportRow } from './support/benchmark';
import { intFromEnv, log } from './support/env';
import { DriverCounters, type CounterDelta } from './support/instrumentation';
import { deleteKeys, memoryOf, usedMemory, type KeyMemory } from './support/redis-keys';
import { round, summarize, type LatencySummary } from './support/stats';

/**
 * SLA deadlines at scale. Every SLA reminder and breach alarm is a row in `deadlines` (kind `sla`)
 * plus a BullMQ delayed job; this measures what that costs against BullMQ with nothing in front:
 *  1. scheduling: N pending rows → PostCommitDispatcher.enqueueDeadlines (batches of 1,000, as the
 *     reconciler calls it) vs a raw `queue.addBulk` of the same delays and payloads on its own prefix;
 *  2. Redis bytes per pending deadline on both sides (MEMORY USAGE over each queue's keys);
 *  3. firing lateness of a burst of alarms due in the same second, fired by the real in-process
 *     deadline worker through FireDeadline (settled_at − due_at from the deadlines table);
 *  4. rebuilding every pending job after all keys of the app's prefix are deleted (Reconciler), and
 *     then a reconciler pass with nothing missing (what every RECONCILE_INTERVAL_MS costs).
 * Setup (cases, SLA clocks, deadline rows) is bulk SQL and not measured.
 */
const settings = () => {
  const cases = intFromEnv('BENCH_SLA_CASES', 100_000);
  const mode = process.env.BENCH_SLA_FIRE_MODE ?? 'reminder';
  if (mode !== 'reminder' && mode !== 'stale') throw new Error(`BENCH_SLA_FIRE_MODE must be reminder or stale, got "${mode}"`);
  return {
    cases,
    /** Alarms due in the same second for the lateness phase (at most one per case). */
    fire: Math.min(cases, intFromEnv('BENCH_SLA_FIRE', 10_000)),
    /** `reminder`: 80% reminders of running clocks (each writes an inbox notification); `stale`: alarms of paused clocks (no-op). */
    fireMode: mode as 'reminder' | 'stale',
    /** How far ahead of the burst's second the alarms are enqueued. */
    fireLeadMs: intFromEnv('BENCH_SLA_FIRE_LEAD_MS', 4000),
    fireTimeoutSeconds: intFromEnv('BENCH_SLA_FIRE_TIMEOUT_SECONDS', 90),
    /** The reconciler's batch; the raw side uses the same. */
    batch: 1000,
  };
};
type Settings = ReturnType<typeof settings>;

const TARGETS = { rateRatio: 0.5, bytesRatio: 1.2, latenessP99Ms: 1000, steadyPassSeconds: 1 };

type Row = { id: string; caseId: string; dueAt: Date };

/** Deterministic case ids, so phases can pick "the first k cases" without carrying id lists around. */
/** BullMQ's own keys of a queue; any other key under `<prefix>:<queue>:` is a job hash (or a job's logs/lock). */
const QUEUE_KEYS = new Set([
  'delayed',
  'events',
  'meta',
  'marker',
  'id',
  'wait',
  'active',
  'paused',
  'completed',
  'failed',
  'stalled',
  'stalled-check',
  'prioritized',
  'pc',
  'limiter',
  'repeat',
  'de',
  'waiting-children',
]);
const keyGroup = (key: string) => {
  const rest = key.slice(key.indexOf(`:${QUEUES.deadlines}:`) + QUEUES.deadlines.length + 2);
  return QUEUE_KEYS.has(rest) ? rest : rest.includes(':') ? 'job sub-keys' : 'job hashes';
};

const caseId = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;
const CASE_ID_SQL = `('00000000-0000-4000-9000-' || lpad(n::text, 12, '0'))::uuid`;

/**
 * Other sessions' tests on this machine may FLUSHALL the shared Redis (test/e2e/redis-loss and
 * sla e2e specs do), which silently deletes this benchmark's jobs. A sentinel key outside every
 * prefix the benchmark deletes itself tells whether that happened during a phase; the report says
 * so instead of presenting numbers of a run that lost its jobs half-way.
 */
class FlushGuard {
  readonly flushes: string[] = [];
  private readonly key = `{slabench-sentinel-${randomBytes(4).toString('hex')}}`;
  constructor(private readonly redis: Redis) {}
  async arm(): Promise<void> {
    await this.redis.set(this.key, '1');
  }
  /** True (and recorded) when the sentinel vanished since the last check: someone flushed Redis. */
  async flushedDuring(phase: string): Promise<boolean> {
    if ((await this.redis.exists(this.key)) === 1) return false;
    this.flushes.push(phase);
    log(`WARNING: Redis was flushed by another client during ${phase}; this benchmark's jobs were lost with it`);
    await this.arm();
    return true;
  }
  async disarm(): Promise<void> {
    await this.redis.del(this.key);
  }
}

export const slaDeadlinesBenchmark: Benchmark = {
  name: 'sla-deadlines',
  title: 'SLA deadlines: rows → BullMQ vs raw addBulk, Redis bytes, firing lateness, rebuild after Redis loss',
  async run() {
    const config = settings();
    log(`sla-deadlines: ${config.cases} cases with a pending SLA alarm each, burst of ${config.fire} ${config.fireMode} alarms in one second`);
    // The app's defaults (worker concurrency, pool) unless BENCH_SLA_DEADLINE_CONCURRENCY asks for another worker concurrency.
    // The alarms are due one hour to a week ahead: a job horizon of eight days gives every one its
    // job, which is what this measures (as if all were due within the shipped 15 minutes).
    const concurrency = process.env.BENCH_SLA_DEADLINE_CONCURRENCY;
    const bench = await startBenchApp({
      env: { DEADLINE_JOB_HORIZON_MS: String(8 * 24 * 3600_000), ...(concurrency ? { DEADLINE_WORKER_CONCURRENCY: concurrency } : {}) },
    });
    const connection = redisConnectionOptions(bench.config);
    const redis = new Redis({ ...connection, maxRetriesPerRequest: 3 });
    // Same length as the app's `{bench<8 hex>}`, so key names differ only by the job id.
    const rawPrefix = `{rawbn${randomBytes(4).toString('hex')}}`;
    const raw = new Queue(QUEUES.deadlines, { connection, prefix: rawPrefix });
    const guard = new FlushGuard(redis);
    try {
      return await measure(bench, redis, raw, rawPrefix, config, guard);
    } finally {
      await guard.disarm().catch(() => undefined);
      await raw.close().catch((error) => console.error(`raw queue close: ${error}`));
      await deleteKeys(redis, `${rawPrefix}*`).catch((error) => console.error(`raw keys cleanup: ${error}`));
      redis.disconnect();
      await bench.close();
      log('sla-deadlines: app stopped, Redis keys of both prefixes and the database removed');
    }
  },
};

async function measure(bench: BenchApp, redis: Redis, raw: Queue, rawPrefix: string, config: Settings, guard: FlushGuard): Promise<BenchmarkReport> {
  const prefix = bench.config.queues.prefix;
  const appQueue = bench.get<Queue>(getQueueToken(QUEUES.deadlines));
  const dispatcher = bench.get<PostCommitDispatcher>(PostCommitDispatcher);

  await seed(bench, config);
  await guard.arm();
  const rows = (await bench.sql<Row>(`select id, case_id as "caseId", due_at as "dueAt" from deadlines where status = 'pending' order by id`)).map((row) => ({
    ...row,
    dueAt: new Date(row.dueAt),
  }));
  if (rows.length !== config.cases) throw new Error(`expected ${config.cases} pending deadline rows, found ${rows.length}`);

  // --- 1 and 2: scheduling rate and bytes, raw first (so the real side runs on the fuller Redis) ---
  const rawSide = await schedule('raw addBulk', redis, `${rawPrefix}:${QUEUES.deadlines}:*`, rows, config.batch, async (batch) => {
    const now = Date.now();
    await raw.addBulk(
      batch.map((row) => ({
        name: 'deadline.fire',
        data: { deadlineId: row.id, caseId: row.caseId } satisfies JobPayloads['deadline.fire'],
        opts: { delay: Math.max(0, row.dueAt.getTime() - now) },
      })),
    );
  });
  await guard.flushedDuring('scheduling (raw side)');
  const realSide = await schedule('real path', redis, `${prefix}:${QUEUES.deadlines}:*`, rows, config.batch, (batch) => dispatcher.enqueueDeadlines(batch));
  const [rawDelayed, realDelayed] = await Promise.all([raw.getDelayedCount(), appQueue.getDelayedCount()]);
  await guard.flushedDuring('scheduling (real side)');
  const sampleJobs = await jobSamples(redis, prefix, rawPrefix, rows[0]!.id);
  await raw.obliterate({ force: true }).catch(() => undefined);
  await deleteKeys(redis, `${rawPrefix}*`);

  // --- 3: a burst of alarms due in one second, fired by the real worker ---
  const firing = await fireBurst(bench, appQueue, dispatcher, config, guard);

  // --- 4: every key of the prefix gone, rebuilt by the reconciler ---
  const rebuild = await rebuildAfterLoss(bench, redis, appQueue, prefix, guard);

  return buildReport({ config, rawSide, realSide, rawDelayed, realDelayed, sampleJobs, firing, rebuild, flushes: guard.flushes });
}

/**
 * One case per pending alarm: every case has a running resolution clock whose breach alarm is a
 * pending `sla` deadline somewhere in the next hour to 7 days, as SlaTracker plans them. The first
 * `fire` cases are assigned to the bench agent so their reminders land in an agent's inbox.
 */
async function seed(bench: BenchApp, config: Settings): Promise<void> {
  const started = performance.now();
  await bench.sql(
    `insert into cases (id, kind, machine_version, state, status, snapshot, machine_input, priority, channel, subject, customer_id,
       merchant_id, assignee_id, sla_policy_id, created_at, updated_at)
     select ${CASE_ID_SQL}, 'dispute', 1, 'open', 'active', '{}'::jsonb, '{}'::jsonb, 'normal', 'app', 'SLA bench #' || n, 'u_' || n,
       'm_' || (n % 50), case when n <= $2 then $3::uuid end, 'bench-sla', now(), now()
     from generate_series(1, $1::int) n`,
    [config.cases, config.fire, bench.agent.id],
  );
  await bench.sql(
    `with clocks as (
       insert into sla_clocks (id, case_id, policy_id, target, minutes, mode, calendar_id, status, used_minutes, running_since, due_at, created_at)
       select gen_random_uuid(), ${CASE_ID_SQL}, 'bench-sla', 'resolution', 10080, 'calendar', 'bench', 'running', 0, now(),
         now() + interval '1 hour' + ((n::bigint * 7919) % 597600) * interval '1 second', now()
       from generate_series(1, $1::int) n
       returning id, case_id, due_at
     ),
     alarms as (
       insert into deadlines (id, case_id, kind, sla_clock_id, name, send_id, event, due_at, status, created_at)
       select gen_random_uuid(), case_id, 'sla', id, 'breach', 'sla.resolution.breach', '{"type":"sla.resolution.breach"}'::jsonb, due_at, 'pending', now()
       from clocks
       returning case_id, due_at
     )
     update cases c set next_deadline_at = a.due_at from alarms a where c.id = a.case_id`,
    [config.cases],
  );
  await bench.sql('vacuum analyze');
  log(`seeded ${config.cases} cases, SLA clocks and pending breach alarms in ${round((performance.now() - started) / 1000)}s`);
}

interface ScheduleResult {
  side: string;
  jobs: number;
  seconds: number;
  perSecond: number;
  before: KeyMemory;
  after: KeyMemory;
  bytesPerJob: number;
  /** The same split by key: job hashes, the delayed sorted set, the events stream, … */
  bytesPerJobByGroup: Record<string, number>;
  /** INFO used_memory delta per job: server-wide, so noisy on a shared Redis; for comparison only. */
  usedMemoryDeltaPerJob: number;
}

async function schedule(side: string, redis: Redis, pattern: string, rows: Row[], batchSize: number, add: (batch: Row[]) => Promise<void>): Promise<ScheduleResult> {
  const before = await memoryOf(redis, pattern, keyGroup);
  const usedBefore = await usedMemory(redis);
  const started = performance.now();
  for (let index = 0; index < rows.length; index += batchSize) await add(rows.slice(index, index + batchSize));
  const seconds = (performance.now() - started) / 1000;
  const usedAfter = await usedMemory(redis);
  const after = await memoryOf(redis, pattern, keyGroup);
  const result = {
    side,
    jobs: rows.length,
    seconds,
    perSecond: rows.length / seconds,
    before,
    after,
    bytesPerJob: (after.bytes - before.bytes) / rows.length,
    bytesPerJobByGroup: Object.fromEntries(Object.entries(after.byGroup).map(([group, { bytes }]) => [group, (bytes - (before.byGroup[group]?.bytes ?? 0)) / rows.length])),
    usedMemoryDeltaPerJob: (usedAfter - usedBefore) / rows.length,
  };
  log(`${side}: ${rows.length} delayed jobs in ${round(seconds, 2)}s (${round(result.perSecond, 0)}/s), ${round(result.bytesPerJob, 0)} B/job over ${after.keys} keys`);
  return result;
}

/** One job hash of each side, to show where the bytes go. */
async function jobSamples(redis: Redis, prefix: string, rawPrefix: string, deadlineId: string) {
  const [rawId] = await redis.zrange(`${rawPrefix}:${QUEUES.deadlines}:delayed`, 0, 0);
  const realKey = `${prefix}:${QUEUES.deadlines}:${jobIds.deadline(deadlineId)}`;
  const rawKey = `${rawPrefix}:${QUEUES.deadlines}:${rawId}`;
  const describe = async (key: string, id: string) => ({
    key,
    id,
    bytes: (await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) as number | null,
    encoding: await redis.object('ENCODING', key),
    fields: await redis.hgetall(key),
  });
  return { real: await describe(realKey, jobIds.deadline(deadlineId)), raw: await describe(rawKey, rawId ?? '') };
}

interface FiringResult {
  count: number;
  mode: Settings['fireMode'];
  dueSecond: string;
  enqueueSeconds: number;
  /** > 0: the jobs were all in Redis this long before the first one was due. */
  enqueueMarginMs: number;
  settled: number;
  timedOut: boolean;
  outcomes: Record<string, number>;
  latenessMs: LatencySummary;
  firingsPerSecond: number;
  workerConcurrency: number;
  databasePool: number;
  failedJobs: number;
  retriedJobs: number;
  traffic: CounterDelta;
}

async function fireBurst(bench: BenchApp, appQueue: Queue, dispatcher: PostCommitDispatcher, config: Settings, guard: FlushGuard): Promise<FiringResult> {
  const lastCase = caseId(config.fire);
  if (config.fireMode === 'stale') {
    // A paused clock's alarm is stale: FireDeadline locks the row, reads the clock and settles the row.
    await bench.sql(`update sla_clocks set status = 'paused', running_since = null, due_at = null where case_id <= $1::uuid`, [lastCase]);
  }
  const dueSecond = Math.ceil((Date.now() + config.fireLeadMs) / 1000) * 1000;
  // 80% reminders of the same clocks, spread evenly over one second (10 per millisecond at 10,000).
  const burst = (
    await bench.sql<Row>(
      `insert into deadlines (id, case_id, kind, sla_clock_id, name, send_id, event, due_at, status, created_at)
       select gen_random_uuid(), k.case_id, 'sla', k.id, 'reminder-80pct', 'sla.resolution.reminder-80pct',
         '{"type":"sla.resolution.reminder-80pct"}'::jsonb,
         $2::timestamptz + ((row_number() over (order by k.case_id) - 1) % 1000) * interval '1 millisecond', 'pending', now()
       from sla_clocks k where k.case_id <= $1::uuid
       returning id, case_id as "caseId", due_at as "dueAt"`,
      [lastCase, new Date(dueSecond).toISOString()],
    )
  ).map((row) => ({ ...row, dueAt: new Date(row.dueAt) }));
  if (burst.length !== config.fire) throw new Error(`expected ${config.fire} burst alarms, inserted ${burst.length}`);

  const counters = new DriverCounters();
  counters.install();
  let traffic: CounterDelta;
  const enqueueStarted = performance.now();
  const from = counters.snapshot();
  let settled = 0;
  let timedOut = false;
  try {
    for (let index = 0; index < burst.length; index += config.batch) await dispatcher.enqueueDeadlines(burst.slice(index, index + config.batch));
    const enqueueSeconds = (performance.now() - enqueueStarted) / 1000;
    const enqueueMarginMs = dueSecond - Date.now();
    log(
      `burst: ${burst.length} ${config.fireMode} alarms enqueued in ${round(enqueueSeconds, 2)}s, due in ${enqueueMarginMs} ms (${new Date(dueSecond).toISOString()} + 0..999 ms)`,
    );
    const giveUpAt = dueSecond + 1000 + config.fireTimeoutSeconds * 1000;
    for (;;) {
      const [row] = await bench.sql<{ settled: number }>(`select count(*)::int as settled from deadlines where name = 'reminder-80pct' and status <> 'pending'`);
      settled = row!.settled;
      if (settled >= burst.length) break;
      // Jobs lost to someone else's FLUSHALL would only come back with the next reconcile tick: stop waiting.
      if (await guard.flushedDuring('the firing burst')) {
        timedOut = true;
        break;
      }
      if (Date.now() > giveUpAt) {
        timedOut = true;
        break;
      }
      await new Promise((resolveTimer) => setTimeout(resolveTimer, 250));
    }
    traffic = DriverCounters.delta(from, counters.snapshot());

    // Lateness of every alarm of the burst; one still pending counts with its lateness so far (a lower bound).
    const lateness = await bench.sql<{ ms: number }>(
      `select (extract(epoch from coalesce(settled_at, now()) - due_at) * 1000)::float8 as ms from deadlines where name = 'reminder-80pct'`,
    );
    const outcomes = Object.fromEntries(
      (await bench.sql<{ status: string; n: number }>(`select status, count(*)::int as n from deadlines where name = 'reminder-80pct' group by status order by status`)).map(
        (row) => [row.status, row.n],
      ),
    );
    const [span] = await bench.sql<{ seconds: number }>(`select extract(epoch from max(settled_at) - min(due_at))::float8 as seconds from deadlines where name = 'reminder-80pct'`);
    const burstIds = new Set(burst.map((row) => jobIds.deadline(row.id)));
    const ours = async (state: 'completed' | 'failed') => (await appQueue.getJobs([state], 0, -1)).filter((job) => job.id && burstIds.has(job.id));
    const [completedJobs, failedJobs] = [await ours('completed'), await ours('failed')];
    const latenessMs = summarize(lateness.map((row) => Number(row.ms)));
    const result: FiringResult = {
      count: burst.length,
      mode: config.fireMode,
      dueSecond: new Date(dueSecond).toISOString(),
      enqueueSeconds,
      enqueueMarginMs,
      settled,
      timedOut,
      outcomes,
      latenessMs,
      firingsPerSecond: settled / Math.max(0.001, span!.seconds),
      workerConcurrency: bench.config.workers.deadlineConcurrency,
      databasePool: bench.config.database.poolMax,
      failedJobs: failedJobs.length,
      // BullMQ counts the finishing attempt in attemptsMade too: > 1 means the job was retried (e.g. a lost race).
      retriedJobs: [...completedJobs, ...failedJobs].filter((job) => job.attemptsMade > 1).length,
      traffic,
    };
    log(
      `burst: ${settled}/${burst.length} settled${timedOut ? ' (TIMED OUT)' : ''}, lateness p50 ${round(latenessMs.p50, 0)} ms, p99 ${round(latenessMs.p99, 0)} ms, ` +
        `max ${round(latenessMs.max, 0)} ms, ${round(result.firingsPerSecond, 0)} firings/s`,
    );
    return result;
  } finally {
    counters.uninstall();
  }
}

interface RebuildResult {
  pending: number;
  keysDeleted: number;
  seconds: number;
  perSecond: number;
  reconciled: { deadlines: number; outbox: number } | false;
  delayedAfter: number;
  missingAfter: number;
  /** A second pass with nothing missing: what every periodic reconcile tick costs at this size. */
  steadyPassSeconds: number;
  delayedAfterSteadyPass: number;
  /** The reconciler's keyset read of the pending rows in plain SQL (no ORM, no Redis). */
  plainSqlReadSeconds: number;
}

async function rebuildAfterLoss(bench: BenchApp, redis: Redis, appQueue: Queue, prefix: string, guard: FlushGuard): Promise<RebuildResult> {
  await guard.flushedDuring('the time between the burst and the deletion');
  // Rows can be settled before their own jobs ran (a batch fired them): let those jobs finish first,
  // or a job finishing after the deletion would recreate its key.
  const drainUntil = Date.now() + 120_000;
  while (Date.now() < drainUntil) {
    const counts = await appQueue.getJobCounts('active', 'waiting', 'prioritized');
    const due = await appQueue.getDelayedCount();
    const pending = Number((await bench.sql<{ n: string }>(`select count(*) as n from deadlines where status = 'pending'`))[0]!.n);
    if (counts.active + counts.waiting + counts.prioritized === 0 && due >= pending) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const pendingIds = (await bench.sql<{ id: string }>(`select id from deadlines where status = 'pending' order by id`)).map((row) => row.id);
  const keysDeleted = await deleteKeys(redis, `${prefix}*`);
  // The live workers recreate a few bookkeeping keys at once (marker, stalled-check, …); jobs must all be gone.
  const delayedKey = `${prefix}:${QUEUES.deadlines}:delayed`;
  const jobsLeft = (await memoryOf(redis, `${prefix}:${QUEUES.deadlines}:dl-*`)).keys + (await redis.zcard(delayedKey));
  if (jobsLeft !== 0) throw new Error(`${jobsLeft} deadline jobs of ${prefix} survived the deletion`);
  log(`Redis loss: deleted ${keysDeleted} keys of ${prefix}; ${pendingIds.length} deadlines pending in PostgreSQL`);

  const reconciler = bench.get<Reconciler>(Reconciler);
  const started = performance.now();
  const reconciled = await reconciler.reconcileOnce();
  const seconds = (performance.now() - started) / 1000;
  await guard.flushedDuring('the rebuild');
  const delayedAfter = await appQueue.getDelayedCount();
  const missingAfter = await countMissing(redis, delayedKey, pendingIds);
  log(`rebuild: reconcileOnce ${JSON.stringify(reconciled)} in ${round(seconds, 2)}s; ${delayedAfter} delayed jobs, ${missingAfter} pending deadlines missing`);

  const steadyStarted = performance.now();
  await reconciler.reconcileOnce();
  const steadyPassSeconds = (performance.now() - steadyStarted) / 1000;
  const delayedAfterSteadyPass = await appQueue.getDelayedCount();
  await guard.flushedDuring('the steady-state reconcile pass');

  // The reconciler's read alone, without the ORM or the chain probe: the same keyset batches of
  // 5,000 pending deadlines by due time, up to the horizon, in plain SQL.
  const readStarted = performance.now();
  const until = new Date(Date.now() + bench.config.workers.deadlineJobHorizonMs);
  let after = { dueAt: '-infinity', id: '00000000-0000-0000-0000-000000000000' };
  let read = 0;
  for (;;) {
    const batch = await bench.sql<{ id: string; due_key: string }>(
      `select id, due_at::text as due_key from deadlines
        where status = 'pending' and due_at <= $1 and due_at >= $2::timestamptz and (due_at, id) > ($2::timestamptz, $3::uuid)
        order by due_at, id limit 5000`,
      [until, after.dueAt, after.id],
    );
    if (batch.length === 0) break;
    read += batch.length;
    after = { dueAt: batch[batch.length - 1]!.due_key, id: batch[batch.length - 1]!.id };
  }
  const plainSqlReadSeconds = (performance.now() - readStarted) / 1000;
  log(`the same keyset read in plain SQL: ${read} rows in ${round(plainSqlReadSeconds, 2)}s`);
  log(`steady-state reconcile pass (nothing missing): ${round(steadyPassSeconds, 2)}s, ${delayedAfterSteadyPass} delayed jobs`);
  return {
    pending: pendingIds.length,
    keysDeleted,
    seconds,
    perSecond: pendingIds.length / seconds,
    reconciled,
    delayedAfter,
    missingAfter,
    steadyPassSeconds,
    delayedAfterSteadyPass,
    plainSqlReadSeconds,
  };
}

/** Pending deadlines whose job id is not in the delayed set (checked one by one, 1,000 per ZMSCORE). */
async function countMissing(redis: Redis, delayedKey: string, deadlineIds: string[]): Promise<number> {
  let missing = 0;
  for (let index = 0; index < deadlineIds.length; index += 1000) {
    const ids = deadlineIds.slice(index, index + 1000).map((id) => jobIds.deadline(id));
    const scores = (await redis.call('ZMSCORE', delayedKey, ...ids)) as Array<string | null>;
    missing += scores.filter((score) => score === null).length;
  }
  return missing;
}

function buildReport(input: {
  config: Settings;
  rawSide: ScheduleResult;
  realSide: ScheduleResult;
  rawDelayed: number;
  realDelayed: number;
  sampleJobs: Awaited<ReturnType<typeof jobSamples>>;
  firing: FiringResult;
  rebuild: RebuildResult;
  flushes: string[];
}): BenchmarkReport {
  const { config, rawSide, realSide, firing, rebuild } = input;
  const rateRatio = realSide.perSecond / rawSide.perSecond;
  const bytesRatio = realSide.bytesPerJob / rawSide.bytesPerJob;
  const perFiring = (value: number) => value / Math.max(1, firing.settled);
  const optsBytes = (fields: Record<string, string>) => Buffer.byteLength(fields.opts ?? '');

  const notes = [
    `${config.cases} open cases, each with a running SLA resolution clock and one pending breach alarm (kind 'sla') due in 1 h … 7 days; ` +
      'cases, clocks and deadline rows are bulk-inserted with SQL (not measured).',
    `Scheduling: the same ${config.cases} rows (id, case id, due time) in memory, in batches of ${config.batch} one after the other, ` +
      "through PostCommitDispatcher.enqueueDeadlines (the reconciler's path, with the same batches; a commit adds its jobs the same way after the same horizon filter) and through a " +
      `raw Queue#addBulk (same job name, payload {deadlineId, caseId}, same delays, BullMQ default options and ids) on a prefix of the same length. ` +
      "Raw ran first. The app's in-process workers were running (as in production); the raw queue had none.",
    `Bytes: sum of MEMORY USAGE <key> SAMPLES 0 over every key of each side's deadlines queue, after minus before, per job. ` +
      'MEMORY USAGE counts value, key name and dictionary entry, and is not disturbed by other tests sharing this Redis ' +
      `(INFO used_memory deltas, server-wide and so noisy here: real ${round(realSide.usedMemoryDeltaPerJob, 0)} B/job, raw ${round(rawSide.usedMemoryDeltaPerJob, 0)} B/job). ` +
      `Per deadline by key, real vs raw: ${Object.keys({ ...realSide.bytesPerJobByGroup, ...rawSide.bytesPerJobByGroup })
        .map((group) => `${group} ${round(realSide.bytesPerJobByGroup[group] ?? 0, 0)} vs ${round(rawSide.bytesPerJobByGroup[group] ?? 0, 0)} B`)
        .join(', ')}. ` +
      `Sample job hash: real ${input.sampleJobs.real.bytes} B (id ${input.sampleJobs.real.id.length} chars, opts ${optsBytes(input.sampleJobs.real.fields)} B), ` +
      `raw ${input.sampleJobs.raw.bytes} B (opts ${optsBytes(input.sampleJobs.raw.fields)} B). Target is ≤ ${TARGETS.bytesRatio}× (the table prints it as <).`,
    `Firing: ${firing.count} ${firing.mode === 'reminder' ? '80% reminders of running SLA clocks (each fires: locks the row, reads clock and case, writes an agent inbox notification — a realistic burst, e.g. many clocks of a business-hours calendar reaching 80% at the same opening minute)' : 'alarms of paused clocks (stale no-op: lock, read clock, settle the row — the queue and worker overhead alone)'}, ` +
      `due ${firing.dueSecond} + 0…999 ms, enqueued through the real path ${round(firing.enqueueMarginMs, 0)} ms before the first was due, ` +
      `fired by the API's in-process deadline worker (FireDeadline, concurrency ${firing.workerConcurrency}, DATABASE_POOL_MAX ${firing.databasePool}); lateness = settled_at − due_at. ` +
      `Outcomes: ${Object.entries(firing.outcomes)
        .map(([status, n]) => `${status} ${n}`)
        .join(', ')}; ${firing.retriedJobs} jobs retried, ${firing.failedJobs} failed.` +
      (firing.timedOut
        ? ` STOPPED WAITING: only ${firing.settled} settled (limit ${config.fireTimeoutSeconds}s after the burst's second); pending ones count with their lateness so far, a lower bound.`
        : '') +
      (firing.enqueueMarginMs < 0 ? ` Enqueueing the burst ended ${-firing.enqueueMarginMs} ms after its second began: raise BENCH_SLA_FIRE_LEAD_MS.` : ''),
    `Per firing: ${round(perFiring(firing.traffic.sql.total), 1)} SQL statements (${Object.entries(firing.traffic.sql.byKind)
      .slice(0, 8)
      .map(([kind, n]) => `${kind} ${round(perFiring(n), 1)}`)
      .join(
        ', ',
      )}), ${round(perFiring(firing.traffic.redis.total), 1)} Redis commands (counted in this process while the burst ran; the benchmark's own progress polls add ~0.1 select)` +
      (firing.traffic.mainThreadCpuMs === null ? '' : `, ${round(perFiring(firing.traffic.mainThreadCpuMs), 2)} ms CPU of the Node main thread (API + workers)`) +
      `; machine CPUs ${round(firing.traffic.machineCpuBusy * 100, 0)}% busy while firing.`,
    `Rebuild: every key of the app's prefix deleted (${rebuild.keysDeleted} keys; only this prefix, never FLUSHALL), then Reconciler.reconcileOnce(): ` +
      `${rebuild.pending} pending rows → ${rebuild.delayedAfter} delayed jobs, ${rebuild.missingAfter} missing (each id checked with ZMSCORE). ` +
      `A second pass with nothing missing took ${round(rebuild.steadyPassSeconds, 2)}s and left ${rebuild.delayedAfterSteadyPass} jobs (no duplicates): ` +
      'the reconciler runs one on every tick (RECONCILE_INTERVAL_MS, default 30 s): it reads the pending deadlines due within DEADLINE_JOB_HORIZON_MS (8 days here, so all of them) 5,000 at a time by due time and checks each batch with one ZMSCORE against the delayed set, and re-adds only what is missing. ' +
      `For scale: the same keyset read in plain SQL took ${round(rebuild.plainSqlReadSeconds, 2)}s and enqueueDeadlines of as many rows ${round(config.cases / realSide.perSecond, 2)}s (scheduling above).`,
  ];
  if (input.flushes.length) {
    notes.unshift(
      `INVALID RUN: another client flushed the shared Redis during ${input.flushes.join(', ')} (a sentinel key vanished), deleting this benchmark's jobs; ` +
        'the numbers of those phases are not measurements of the system. Rerun when no other test suite runs, or point the benchmark at a Redis of its own (REDIS_PORT).',
    );
  }
  if (input.realDelayed !== config.cases || input.rawDelayed !== config.cases) {
    notes.push(`Delayed job counts after scheduling differ from ${config.cases}: real ${input.realDelayed}, raw ${input.rawDelayed}.`);
  }

  const rows: ReportRow[] = [
    { metric: 'pending deadlines (cases)', value: config.cases, unit: '', digits: 0 },
    { metric: 'schedule rate, real path', value: realSide.perSecond, unit: '/s', digits: 0 },
    { metric: 'schedule rate, raw addBulk', value: rawSide.perSecond, unit: '/s', digits: 0 },
    { metric: 'schedule rate real/raw', value: rateRatio, unit: '', digits: 3, target: { op: '>=', threshold: TARGETS.rateRatio } },
    { metric: 'Redis bytes / deadline, real', value: realSide.bytesPerJob, unit: 'B', digits: 0 },
    { metric: 'Redis bytes / deadline, raw', value: rawSide.bytesPerJob, unit: 'B', digits: 0 },
    { metric: 'Redis bytes real/raw', value: bytesRatio, unit: '', digits: 3, target: { op: '<', threshold: TARGETS.bytesRatio } },
    { metric: `burst fired (same second)`, value: firing.settled, unit: '', digits: 0 },
    { metric: 'firing lateness p50', value: firing.latenessMs.p50, unit: 'ms', digits: 0 },
    { metric: 'firing lateness p95', value: firing.latenessMs.p95, unit: 'ms', digits: 0 },
    { metric: 'firing lateness p99', value: firing.latenessMs.p99, unit: 'ms', digits: 0, target: { op: '<', threshold: TARGETS.latenessP99Ms } },
    { metric: 'firing lateness max', value: firing.latenessMs.max, unit: 'ms', digits: 0 },
    { metric: 'firing rate', value: firing.firingsPerSecond, unit: '/s', digits: 0 },
    { metric: 'rebuild after prefix loss', value: rebuild.seconds, unit: 's', digits: 2 },
    { metric: 'rebuild rate', value: rebuild.perSecond, unit: '/s', digits: 0 },
    { metric: 'jobs back / pending', value: rebuild.pending - rebuild.missingAfter, unit: `of ${rebuild.pending}`, digits: 0 },
    { metric: 'reconcile pass, nothing missing', value: rebuild.steadyPassSeconds, unit: 's', digits: 2, target: { op: '<', threshold: TARGETS.steadyPassSeconds } },
    // Not a target: a non-zero count means another client's FLUSHALL hit this run (see the notes).
    { metric: 'Redis flushes by other clients', value: input.flushes.length, unit: '', digits: 0 },
  ];

  return {
    rows,
    details: {
      settings: config,
      targets: { ...TARGETS, bytesRatioOp: '<=' },
      scheduling: { raw: rawSide, real: realSide, rateRatio, bytesRatio, delayedCounts: { raw: input.rawDelayed, real: input.realDelayed }, sampleJobs: input.sampleJobs },
      firing: {
        ...firing,
        traffic: {
          ...firing.traffic,
          perFiring: {
            sqlStatements: perFiring(firing.traffic.sql.total),
            sqlByKind: Object.fromEntries(Object.entries(firing.traffic.sql.byKind).map(([kind, n]) => [kind, round(perFiring(n), 2)])),
            redisCommands: perFiring(firing.traffic.redis.total),
            redisByCommand: Object.fromEntries(Object.entries(firing.traffic.redis.byCommand).map(([command, n]) => [command, round(perFiring(n), 2)])),
          },
        },
      },
      rebuild,
      redisFlushedByOthersDuring: input.flushes,
    },
    notes,
  };
}
