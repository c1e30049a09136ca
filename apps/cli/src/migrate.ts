import 'reflect-metadata';
import { ConfigError, loadConfig } from '@app/config';
import { DatabaseUnreachableError, ensureDatabase, migrateDatabase } from '@app/db';

/** `npm run db:migrate`: creates the database if it is missing, then applies pending migrations. */
async function main(): Promise<void> {
  const { database } = loadConfig();
  if (await ensureDatabase(database.url)) console.log('db:migrate: created the database');
  const applied = await migrateDatabase(database.url);
  console.log(applied.length ? `db:migrate: applied ${applied.join(', ')}` : 'db:migrate: schema is up to date');
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof DatabaseUnreachableError;
  console.error(known ? `db:migrate: ${(error as Error).message}` : error);
  process.exit(1);
});
