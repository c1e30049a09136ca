import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { Counter, Histogram } from 'prom-client';
import { isFinalFailure } from '@app/queues';
import { BullWorkers } from './bull-workers';
import { MetricsRegistry } from './metrics-registry';

/**
 * What this process's BullMQ workers did: jobs completed and failed by queue (`final="true"`: BullMQ
 * gave up on the job; otherwise an attempt that will be retried), and how long jobs ran. A job
 * that moves itself back to delayed (a deadline delivered early, a webhook waiting for its
 * merchant's slot) is neither. Counted where the job ran, so scrape every worker's probe port.
 */
@Injectable()
export class JobMetrics implements OnApplicationBootstrap {
  private readonly completed: Counter<'queue'>;
  private readonly failed: Counter<'queue' | 'final'>;
  private readonly duration: Histogram<'queue' | 'outcome'>;

  constructor(
    metrics: MetricsRegistry,
    private readonly workers: BullWorkers,
  ) {
    const registers = [metrics.registry];
    this.completed = new Counter({ name: 'worker_jobs_completed_total', help: 'BullMQ jobs this process completed, by queue', labelNames: ['queue'], registers });
    this.failed = new Counter({
      name: 'worker_jobs_failed_total',
      help: 'BullMQ job attempts that failed in this process, by queue; final="true": BullMQ gave up on the job (out of attempts, unrecoverable, stalled too often)',
      labelNames: ['queue', 'final'],
      registers,
    });
    this.duration = new Histogram({
      name: 'worker_job_duration_seconds',
      help: 'How long a job attempt ran in this process, by queue and outcome (completed, failed)',
      labelNames: ['queue', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
  }

  onApplicationBootstrap(): void {
    for (const worker of this.workers.list()) this.watch(worker);
  }

  private watch(worker: Worker): void {
    const queue = worker.name;
    // Present at 0 from the start, so a rate or an alert has a series before the first job.
    this.completed.inc({ queue }, 0);
    this.failed.inc({ queue, final: 'true' }, 0);
    worker.on('completed', (job: Job) => {
      this.completed.inc({ queue });
      this.observe(queue, 'completed', job);
    });
    worker.on('failed', (job: Job | undefined) => {
      this.failed.inc({ queue, final: String(job ? isFinalFailure(job) : true) });
      if (job) this.observe(queue, 'failed', job);
    });
  }

  private observe(queue: string, outcome: 'completed' | 'failed', job: Job): void {
    if (!job.processedOn) return;
    // finishedOn is set only when the job is done for good; a failed attempt that will be retried has none.
    const ms = (job.finishedOn ?? Date.now()) - job.processedOn;
    this.duration.observe({ queue, outcome }, Math.max(0, ms) / 1000);
  }
}
