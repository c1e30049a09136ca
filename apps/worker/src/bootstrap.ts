import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppConfig, Clock } from '@app/config';
import { appLogger, nestLogger, type AppLogOptions } from '@app/observability';
import { BullWorkers, ShutdownState, UnreachableQueues } from '@app/ops';
import { startProbeServer, type ProbeServer } from './probe-server';
import { WorkerAppModule } from './worker.module';

export interface WorkerProcess {
  app: INestApplicationContext;
  probe: ProbeServer;
  /**
   * Readiness turns 503, the BullMQ workers stop taking jobs and finish the running ones within
   * SHUTDOWN_GRACE_MS (what is still running then is left to be picked up again as stalled), then
   * the app closes (timers, queues, the database pool) and last the probe server.
   * Resolves with how many workers had to be cut off.
   */
  shutdown(): Promise<number>;
}

/** The worker as production runs it (main.ts); tests start it too, beside an API without in-process workers. */
export async function startWorker(config: AppConfig, options: { log?: AppLogOptions; clock?: Clock } = {}): Promise<WorkerProcess> {
  const app = await NestFactory.createApplicationContext(WorkerAppModule.forRoot(config, options.clock), {
    abortOnError: false,
    // Every job logs with the id of the request that caused it (runJob).
    logger: nestLogger(appLogger('worker', config.logging, options.log)),
  });
  await app.init();
  const probe = await startProbeServer(app, config).catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  let stopping: Promise<number> | undefined;
  const shutdown = async () => {
    app.get(ShutdownState).begin();
    const cutOff = await app.get(BullWorkers).closeWithin(config.ops.shutdownGraceMs);
    await app.get(UnreachableQueues).closeNow();
    await app.close();
    await probe.close();
    return cutOff;
  };
  return { app, probe, shutdown: () => (stopping ??= shutdown()) };
}
