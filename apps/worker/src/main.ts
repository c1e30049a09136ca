import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, logUnhandledRejections } from '@app/config';
import { DatabaseUnreachableError, checkDatabase } from '@app/db';
import { RedisUnreachableError, checkRedis } from '@app/queues';
import { WorkerAppModule } from './worker.module';

async function main(): Promise<void> {
  // Logged, never silent and never fatal: a failed-job listener or a timer must not end the process.
  logUnhandledRejections(new Logger('worker'));
  const config = loadConfig();
  if (config.nodeEnvUnset) {
    new Logger('worker').warn('NODE_ENV is not set: production security defaults apply (secure cookies, https-only webhooks, two-factor login for supervisors and admins)');
  }
  await Promise.all([checkDatabase(config.database.url), checkRedis(config)]);
  const app = await NestFactory.createApplicationContext(WorkerAppModule.forRoot(config));
  // SIGTERM closes the BullMQ workers, which finish their in-flight jobs first.
  app.enableShutdownHooks();
  await app.init();
  new Logger('worker').log('processing deadlines and effects');
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof DatabaseUnreachableError || error instanceof RedisUnreachableError;
  console.error(known ? `worker: ${(error as Error).message}` : error);
  process.exit(1);
});
