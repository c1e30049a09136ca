// First: tracing (when configured) must start before anything loads http, pg or ioredis.
import { tracing } from './tracing';
import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, logUnhandledRejections } from '@app/config';
import { DatabaseUnreachableError, checkDatabase } from '@app/db';
import { createLogger, nestLogger } from '@app/observability';
import { onShutdownSignals } from '@app/ops';
import { RedisUnreachableError, checkRedis } from '@app/queues';
import { createApiApp } from './bootstrap';
import { shutdownApi } from './shutdown';

async function main(): Promise<void> {
  // Logged, never silent and never fatal: a failed-job listener or a timer must not end the process.
  logUnhandledRejections(new Logger('api'));
  const config = loadConfig();
  // JSON lines on stdout from here on, this file's and every `new Logger(context)`'s alike.
  const logger = createLogger('api', config.logging);
  Logger.overrideLogger(nestLogger(logger));
  if (config.nodeEnvUnset) {
    new Logger('api').warn('NODE_ENV is not set: production security defaults apply (secure cookies, https-only webhooks, two-factor login for supervisors and admins)');
  }
  await Promise.all([checkDatabase(config.database.url), checkRedis(config)]);
  const app = await createApiApp(config, { log: { logger } });
  await app.listen(config.http.port, config.http.host);
  onShutdownSignals(new Logger('api'), config.ops.shutdownGraceMs, async () => {
    const { http, workersCutOff } = await shutdownApi(app, config);
    if (http === 'cut_off') new Logger('api').warn(`requests still running after ${config.ops.shutdownGraceMs} ms were cut off`);
    if (workersCutOff) new Logger('api').warn(`${workersCutOff} in-process worker(s) left jobs running; they will be picked up again as stalled`);
    await tracing?.shutdown();
  });
  // The port bound, which PORT=0 leaves to the system.
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  new Logger('api').log(`listening on http://${config.http.host}:${port} (docs at /docs)${config.workers.inProcess ? ', workers in-process' : ''}`);
}

main().catch((error: unknown) => {
  // Bad configuration and unreachable dependencies get one clear line, not a stack trace.
  const known = error instanceof ConfigError || error instanceof DatabaseUnreachableError || error instanceof RedisUnreachableError;
  console.error(known ? `api: ${(error as Error).message}` : error);
  process.exit(1);
});
