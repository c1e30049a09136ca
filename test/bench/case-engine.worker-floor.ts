import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { AppConfig } from '@app/config';
import { EFFECT_BATCH_MAX_ROWS, JOB_OPTIONS, jobIds, redisConnectionOptions } from '@app/queues';
// The dispatcher's window itself (not part of @app/cases' public surface).
import { SendWindow } from '../../libs/cases/src/dispatch/send-window';
import { procCpuMs } from './support/instrumentation';
import { log } from './support/env';
import { round } from './support/stats';

/**
 * The worker's floor: what BullMQ alone costs a worker process per notification, with the effects
 * queue's job options and concurrency, an empty processor, and notifications arriving one by one
 * at the rate they arrived in the saturation runs, put into jobs as the dispatcher puts them (a
 * SendWindow of EFFECT_BATCH_WINDOW_MS: one `effect.batch` job for those that came within a
 * window, an `effect.run` for one alone). Nothing the effect path does (job context, log lines,
 * SQL, the audiences) is in it, so "worker CPU / notification" minus this is what the notify path
 * itself costs.
 *
 * The parent (the benchmark) adds the jobs from its own process; the worker runs in a child
 * process of its own (this file, run as main), whose CPU is read from /proc.
 */
export interface WorkerFloor {
  ratePerSecond: number;
  windowMs: number;
  notifications: number;
  /** BullMQ jobs the notifications went in. */
  jobs: number;
  cpuMsPerNotification: number;
}

const READY = 'worker floor ready';

export async function measureWorkerFloor(config: AppConfig, ratePerSecond: number, seconds: number): Promise<WorkerFloor> {
  const prefix = `bench-worker-floor-${randomBytes(4).toString('hex')}`;
  const queueName = 'effects';
  const child = spawn(process.execPath, [__filename], {
    env: { ...process.env, FLOOR_CONFIG: JSON.stringify({ redis: redisConnectionOptions(config), prefix, queueName, concurrency: config.workers.effectConcurrency }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const queue = new Queue(queueName, { connection: redisConnectionOptions(config), prefix });
  try {
    await new Promise<void>((resolveReady, rejectReady) => {
      let output = '';
      const timer = setTimeout(() => rejectReady(new Error(`worker floor not ready after 30 s: ${output}`)), 30_000);
      child.once('exit', () => clearTimeout(timer));
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(READY)) {
          clearTimeout(timer);
          resolveReady();
        }
      });
      child.once('exit', (code) => rejectReady(new Error(`worker floor exited with ${code}: ${output}`)));
    });
    const notifications = Math.max(1, Math.round(ratePerSecond * seconds));
    const windowMs = config.workers.effectBatchWindowMs;
    log(`worker floor (BullMQ, empty processor): ${notifications} notifications at ${round(ratePerSecond)}/s, batch window ${windowMs} ms`);
    let jobs = 0;
    const window = new SendWindow<string>(windowMs, EFFECT_BATCH_MAX_ROWS, async (outboxIds) => {
      jobs += 1;
      const [first] = outboxIds as [string];
      if (outboxIds.length === 1) {
        await queue.add('effect.run', { outboxId: first, caseId: randomUUID(), type: 'notify' }, { ...JOB_OPTIONS['effect.run'], jobId: jobIds.effect(first) });
        return;
      }
      const rows = outboxIds.map((outboxId) => ({ outboxId, caseId: randomUUID() }));
      await queue.add('effect.batch', { type: 'notify', rows }, { ...JOB_OPTIONS['effect.batch'], jobId: jobIds.effectBatch(first) });
    });
    const cpuAtStart = procCpuMs(`/proc/${child.pid}/stat`)!;
    const started = performance.now();
    const adds: Array<Promise<unknown>> = [];
    for (let index = 0; index < notifications; index += 1) {
      const dueIn = started + (index * 1000) / ratePerSecond - performance.now();
      if (dueIn > 1) await new Promise((resolve) => setTimeout(resolve, dueIn));
      const sending = window.offer([randomUUID()]);
      if (sending) adds.push(sending);
    }
    await Promise.all(adds);
    await window.close();
    const deadline = Date.now() + 30_000;
    // Until nothing is left to run (not by counting completed jobs: the queue keeps only so many).
    const left = async () => Object.values(await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused')).reduce((sum, count) => sum + count, 0);
    while ((await left()) > 0) {
      if (Date.now() > deadline) throw new Error('the worker floor did not finish its jobs within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const cpuMs = procCpuMs(`/proc/${child.pid}/stat`)! - cpuAtStart;
    return { ratePerSecond, windowMs, notifications, jobs, cpuMsPerNotification: cpuMs / notifications };
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
}

/** The child: a BullMQ worker whose processor does nothing. */
async function runFloorWorker(): Promise<void> {
  const { redis, prefix, queueName, concurrency } = JSON.parse(process.env.FLOOR_CONFIG!) as {
    redis: ReturnType<typeof redisConnectionOptions>;
    prefix: string;
    queueName: string;
    concurrency: number;
  };
  const worker = new Worker(queueName, async () => 'done', { connection: redis, prefix, concurrency });
  await worker.waitUntilReady();
  process.once('SIGTERM', () => void worker.close().then(() => process.exit(0)));
  process.stdout.write(`${READY}\n`);
}

if (require.main === module) {
  runFloorWorker().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
