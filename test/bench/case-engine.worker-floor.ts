import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { AppConfig } from '@app/config';
import { JOB_OPTIONS, redisConnectionOptions } from '@app/queues';
import { procCpuMs } from './support/instrumentation';
import { log } from './support/env';
import { round } from './support/stats';

/**
 * The worker's floor: what BullMQ alone costs a worker process per job, with the effects queue's
 * job options and concurrency, an empty processor, and jobs arriving one by one at the rate the
 * notifications arrived in the saturation runs. Nothing the effect path does (job context, log
 * lines, SQL, the audiences) is in it, so "worker CPU / notification" minus this is what the
 * notify path itself costs, and a target below this is out of reach while each effect is a job.
 *
 * The parent (the benchmark) adds the jobs from its own process; the worker runs in a child
 * process of its own (this file, run as main), whose CPU is read from /proc.
 */
export interface WorkerFloor {
  ratePerSecond: number;
  jobs: number;
  cpuMsPerJob: number;
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
    const jobs = Math.max(1, Math.round(ratePerSecond * seconds));
    log(`worker floor (BullMQ, empty processor): ${jobs} jobs at ${round(ratePerSecond)}/s`);
    const cpuAtStart = procCpuMs(`/proc/${child.pid}/stat`)!;
    const started = performance.now();
    const adds: Array<Promise<unknown>> = [];
    for (let index = 0; index < jobs; index += 1) {
      const dueIn = started + (index * 1000) / ratePerSecond - performance.now();
      if (dueIn > 1) await new Promise((resolve) => setTimeout(resolve, dueIn));
      const outboxId = randomUUID();
      adds.push(queue.add('effect.run', { outboxId, caseId: randomUUID(), type: 'notify' }, { ...JOB_OPTIONS['effect.run'], jobId: `effect-${outboxId}` }));
    }
    await Promise.all(adds);
    const deadline = Date.now() + 30_000;
    // Until nothing is left to run (not by counting completed jobs: the queue keeps only so many).
    const left = async () => Object.values(await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused')).reduce((sum, count) => sum + count, 0);
    while ((await left()) > 0) {
      if (Date.now() > deadline) throw new Error('the worker floor did not finish its jobs within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const cpuMs = procCpuMs(`/proc/${child.pid}/stat`)! - cpuAtStart;
    return { ratePerSecond, jobs, cpuMsPerJob: cpuMs / jobs };
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
