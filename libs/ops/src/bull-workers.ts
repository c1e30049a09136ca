import { WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Worker } from 'bullmq';
import { APP_CONFIG, finishedWithin, type AppConfig } from '@app/config';
import { providedInstancesOf } from './provided-instances';

/** What this file needs of an ioredis client. */
interface RedisClientState {
  readonly status: string;
  once(event: 'ready', listener: () => void): unknown;
  off(event: 'ready', listener: () => void): unknown;
}

/**
 * Resolves once the client of the worker's blocking connection is connected (at once if it is).
 *
 * Why: pausing or closing a BullMQ worker disconnects that client and waits for its `end` event.
 * A client waiting to reconnect (Redis restarted a moment ago, ioredis between two attempts) has
 * no socket: ioredis drops its retry timer and never ends it, so the pause and the close wait
 * forever, and a later close(true) waits on the same promise (redis/ioredis#1247,
 * taskforcesh/bullmq#4656 and #4065, open in BullMQ 5.81). Waiting for it to connect first avoids
 * that; if Redis stays down the caller's grace runs out and the worker is closed with force.
 * BullMQ keeps the connection private: if a version moves it, this waits for nothing.
 */
function blockingClientConnected(worker: Worker): { connected: Promise<void>; cancel(): void } {
  const connection = (worker as unknown as { blockingConnection?: { client: Promise<RedisClientState> } }).blockingConnection;
  let cancel = () => {};
  const connected = (async () => {
    if (!connection) return;
    const client = await connection.client;
    if (client.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const ready = () => resolve();
      client.once('ready', ready);
      cancel = () => client.off('ready', ready);
    });
  })();
  return { connected, cancel: () => cancel() };
}

/**
 * The BullMQ workers this process runs (every `@Processor`, whichever lib declares it); none in an
 * API process without RUN_WORKERS_IN_PROCESS.
 */
@Injectable()
export class BullWorkers implements BeforeApplicationShutdown {
  private readonly logger = new Logger('shutdown');
  private closing?: Promise<number>;

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Available from onApplicationBootstrap on (Nest's BullMQ module creates them in onModuleInit). */
  list(): Worker[] {
    return providedInstancesOf(this.discovery, WorkerHost).flatMap((host) => {
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
   * Resolves with how many workers had to be cut off. Called again, it answers the first call.
   */
  closeWithin(graceMs: number): Promise<number> {
    return (this.closing ??= this.closeAll(graceMs));
  }

  /**
   * A plain `app.close()` (without the processes' SIGTERM path) closes the workers the same way,
   * before Nest's BullMQ module closes them with no limit in onApplicationShutdown.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.closeWithin(this.config.ops.shutdownGraceMs);
  }

  private async closeAll(graceMs: number): Promise<number> {
    let cutOff = 0;
    await Promise.all(
      this.list().map(async (worker) => {
        // Pausing stops the fetching at once and resolves when the running jobs are done; close()
        // would do the same, but once called it cannot be hurried (a later close(true) waits too).
        const blocking = blockingClientConnected(worker);
        const stopped = await finishedWithin(
          blocking.connected.then(() => worker.pause()),
          graceMs,
        );
        blocking.cancel();
        if (!stopped) {
          cutOff += 1;
          this.logger.warn(`${worker.name}: not stopped after ${graceMs} ms (jobs still running, or Redis unreachable); closing it, running jobs are picked up again as stalled`);
        }
        await worker.close(!stopped);
      }),
    );
    return cutOff;
  }
}
