import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import type { Job } from 'bullmq';
import { pino } from 'pino';
import { SendCaseEvent, type Actor } from '@app/cases';
import { createLogger } from '@app/observability';
import type { JobPayloads } from '@app/queues';
import { startWorker } from '../../apps/worker/src/bootstrap';
import { EffectProcessor } from '../../libs/workers/src/processors/effect.processor';
import { seedReviewingDisputes } from './case-engine.bench';
import { startBenchApp, type BenchApp } from './support/bench-app';
import { forEachConcurrently, intFromEnv, log } from './support/env';
import { round } from './support/stats';

/**
 * Worker CPU per `notify` outbox row, without the whole case-engine benchmark: seeds disputes the
 * way the benchmark does (a merchant without webhook endpoints, a customer with no channel to reach
 * them: no email, phone or app push), puts their notify rows back to "relayed" (so no relay and no BullMQ job runs them) and hands each to
 * the effects processor of a real worker app context, one after the other, timing process CPU.
 * What is measured is the processor's own path (job context, log lines, EffectRunner, the audiences)
 * without BullMQ's fetching; the topics are the benchmark's: `dispute.info_requested` to the
 * customer (REQUEST_CUSTOMER_INFO) and `dispute.awaiting_merchant` to the merchant.
 *
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register test/bench/notify-effect.profile.ts
 *
 * BENCH_CASES (default 2000) disputes, BENCH_ROUNDS (default 3) timed passes over every row;
 * BENCH_BATCH_ROWS (default 1: an `effect.run` job per row) hands the rows over as `effect.batch`
 * jobs of that many rows, as the dispatcher does under load;
 * BENCH_CPU_PROFILE=file.cpuprofile writes a V8 CPU profile of the last round (open it in Chrome's DevTools).
 */
async function main(): Promise<void> {
  const cases = intFromEnv('BENCH_CASES', 2000);
  const rounds = intFromEnv('BENCH_ROUNDS', 3);
  const batchRows = intFromEnv('BENCH_BATCH_ROWS', 1);
  const bench = await startBenchApp();
  try {
    await seed(bench, cases);
    await bench.stopApp();

    // The worker logs at info, as in production; the lines go to /dev/null but are still built and written.
    const logger = createLogger('worker', { level: 'info', pretty: false }, pino.destination({ dest: '/dev/null', sync: true }));
    const worker = await startWorker(bench.config, { log: { logger } });
    try {
      const processor = worker.app.get(EffectProcessor);
      const byTopic = await bench.sql<{ topic: string; ids: string[] }>(
        `select payload->>'topic' as topic, array_agg(id order by id) as ids from outbox where type = 'notify' group by 1 order by 1`,
      );
      for (const round_ of Array.from({ length: rounds }, (_, index) => index + 1)) {
        const profiler = round_ === rounds && process.env.BENCH_CPU_PROFILE ? await startProfiler() : undefined;
        for (const { topic, ids } of byTopic) {
          await bench.sql(`update outbox set status = 'relayed', attempts = 0, done_at = null where id = any($1::uuid[])`, [ids]);
          const cpu = await timedCpu(async () => {
            if (batchRows === 1) for (const id of ids) await processor.process(jobFor(id));
            else for (let start = 0; start < ids.length; start += batchRows) await processor.process(batchJobFor(ids.slice(start, start + batchRows)));
          });
          const done = await bench.sql<{ count: string }>(`select count(*) from outbox where id = any($1::uuid[]) and status = 'done'`, [ids]);
          const perRow = (micros: number) => round(micros / 1000 / ids.length, 3);
          log(
            `round ${round_} ${topic}: ${ids.length} rows, ${perRow(cpu.user + cpu.system)} ms CPU per row (user ${perRow(cpu.user)}, system ${perRow(cpu.system)}; ${done[0]!.count} done)`,
          );
        }
        if (profiler) writeFileSync(process.env.BENCH_CPU_PROFILE!, JSON.stringify(await profiler.stop()));
      }
    } finally {
      await worker.shutdown();
    }
  } finally {
    await bench.close();
  }
}

async function startProfiler(): Promise<{ stop(): Promise<unknown> }> {
  const session = new Session();
  session.connect();
  const post = (method: string) => new Promise<unknown>((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      session.disconnect();
      return profile;
    },
  };
}

/** Process CPU (µs) spent while `work` ran; system time is mostly socket writes, and grows when the machine is busy. */
async function timedCpu(work: () => Promise<void>): Promise<NodeJS.CpuUsage> {
  const before = process.cpuUsage();
  await work();
  return process.cpuUsage(before);
}

/** What EffectProcessor.process reads of a BullMQ job. */
function jobFor(outboxId: string): Job<JobPayloads['effect.run']> {
  return { name: 'effect.run', queueName: 'effects', id: `effect-${outboxId}`, attemptsMade: 0, data: { outboxId, type: 'notify' } } as unknown as Job<JobPayloads['effect.run']>;
}

/** What EffectProcessor.process reads of a batch's BullMQ job. */
function batchJobFor(outboxIds: string[]): Job<JobPayloads['effect.batch']> {
  const data: JobPayloads['effect.batch'] = { type: 'notify', rows: outboxIds.map((outboxId) => ({ outboxId, caseId: null })) };
  return { name: 'effect.batch', queueName: 'effects', id: `effects-${outboxIds[0]}`, attemptsMade: 0, data } as unknown as Job<JobPayloads['effect.batch']>;
}

/** Disputes as the case-engine benchmark seeds them, then asked for customer information once. */
async function seed(bench: BenchApp, count: number): Promise<void> {
  const actor: Actor = { kind: 'agent', id: bench.agent.id, role: bench.agent.role };
  const reviewing = await seedReviewingDisputes(bench, count, 'for the notify profile');
  await forEachConcurrently(reviewing, 8, async ({ id, version }) => {
    const event = { type: 'REQUEST_CUSTOMER_INFO', question: 'Please send a photo of the parcel label' };
    await bench.inRequestContext(() => bench.get<SendCaseEvent>(SendCaseEvent).execute({ caseId: id, event, expectedVersion: version }, actor));
  });
  if (!(await bench.waitForEffectsIdle(120_000))) throw new Error('effect workers still busy after seeding');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
