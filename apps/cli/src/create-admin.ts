import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import { NestFactory } from '@nestjs/core';
import { CreateAgent } from '@app/auth';
import { loadConfig } from '@app/config';
import { DomainError } from '@app/domain';
import { CliModule } from './cli.module';

/** `npm run db:create-admin -- --email you@example.com --name "Your Name" --password '...'` */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } } });
  if (!values.email || !values.password) {
    console.error('usage: npm run db:create-admin -- --email EMAIL --password PASSWORD [--name NAME]');
    process.exit(2);
  }
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(loadConfig()), { logger: ['error'] });
  try {
    const agent = await RequestContext.create(app.get(MikroORM).em, () =>
      app.get(CreateAgent).execute({ email: values.email!, displayName: values.name ?? values.email!, role: 'admin', password: values.password! }),
    );
    console.log(`created admin ${agent.email} (${agent.id})`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof DomainError ? `db:create-admin: ${error.message} ${JSON.stringify(error.details)}` : error);
  process.exit(1);
});
