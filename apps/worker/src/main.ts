// First: tracing (when configured) must start before anything loads http, pg or ioredis.
import { tracing } from './tracing';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, logUnhandledRejections } from '@app/config';
import { DatabaseUnreachableError, checkDatabase } from '@app/db';
import { createLogger, nestLogger } from '@app/observability';
import { onShutdownSignals } from '@app/ops';
import { RedisUnreachableError, checkRedis } from '@app/queues';
import { startWorker } from './bootstrap';

async function main(): Promise<void> {
  const logger = new Logger('worker');
  // Logged, never silent and never fatal: a failed-job listener or a timer must not end the process.
  logUnhandledRejections(logger);
  const config = loadConfig();
  // JSON lines on stdout from here on, this file's and every `new Logger(context)`'s alike.
  const root = createLogger('worker', config.logging);
  Logger.overrideLogger(nestLogger(root));
  if (config.nodeEnvUnset) {
    logger.warn('NODE_ENV is not set: production security defaults apply (secure cookies, https-only webhooks, two-factor login for supervisors and admins)');
  }
  await Promise.all([checkDatabase(config.database.url), checkRedis(config)]);
  const worker = await startWorker(config, { log: { logger: root } });
  // SIGTERM: stop taking jobs, let the running ones finish (within SHUTDOWN_GRACE_MS), then exit.
  onShutdownSignals(logger, config.ops.shutdownGraceMs, async () => {
    const cutOff = await worker.shutdown();
    if (cutOff) logger.warn(`${cutOff} worker(s) left jobs running after ${config.ops.shutdownGraceMs} ms; they will be picked up again as stalled`);
    await tracing?.shutdown();
  });
  logger.log(`processing deadlines and effects; probes and metrics on http://${config.http.host}:${worker.probe.port}`);
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof DatabaseUnreachableError || error instanceof RedisUnreachableError;
  console.error(known ? `worker: ${(error as Error).message}` : error);
  process.exit(1);
});
