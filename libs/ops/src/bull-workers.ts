import { WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Worker } from 'bullmq';

/**
 * The BullMQ workers this process runs (every `@Processor`, whichever lib declares it); none in an
 * API process without RUN_WORKERS_IN_PROCESS.
 */
@Injectable()
export class BullWorkers {
  private readonly logger = new Logger('shutdown');

  constructor(private readonly discovery: DiscoveryService) {}

  /** Available from onApplicationBootstrap on (Nest's BullMQ module creates them in onModuleInit). */
  list(): Worker[] {
    return this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost)
      .flatMap((host) => {
        try {
          return [host.worker];
        } catch {
          return []; // not created (yet): nothing to watch or close
        }
      });
  }

  /**
   * Stops taking jobs and lets the running ones finish, for at most `graceMs`. Jobs still running
   * then are abandoned: their lock lapses and BullMQ hands them to another worker as stalled (a
   * job stalled more than once is failed and its row marked, see README "what is recovered"), so
   * the grace should outlast the longest job (a wallet call with its retries).
   * Resolves with how many workers had to be cut off.
   */
  async closeWithin(graceMs: number): Promise<number> {
    const workers = this.list();
    let cutOff = 0;
    await Promise.all(
      workers.map(async (worker) => {
        let timer: NodeJS.Timeout | undefined;
        const expired = new Promise<'expired'>((resolve) => {
          timer = setTimeout(() => resolve('expired'), graceMs);
          timer.unref();
        });
        // Pausing stops the fetching at once and resolves when the running jobs are done; close()
        // would do the same, but once called it cannot be hurried (a later close(true) waits too).
        const outcome = await Promise.race([worker.pause().then(() => 'finished' as const), expired]);
        clearTimeout(timer);
        if (outcome === 'expired') {
          cutOff += 1;
          this.logger.warn(`${worker.name}: jobs still running after ${graceMs} ms; leaving them to be picked up again as stalled`);
        }
        await worker.close(outcome === 'expired');
      }),
    );
    return cutOff;
  }
}
