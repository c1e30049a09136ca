import 'reflect-metadata';
import { ConfigError, loadConfig } from '@app/config';
import { DatabaseUnreachableError, ensureDatabase, ensureSlaDefaults, migrateDatabase } from '@app/db';
import { WebhookSecretBox, sealWebhookSecrets, secretKeyOf } from '@app/webhooks';

/**
 * `npm run db:migrate`: creates the database if it is missing, applies pending migrations, adds
 * the shipped business calendar and default SLA policies where they are missing, brings corrected
 * shipped calendar data to calendars nobody edited (never to an edited one), and seals
 * webhook signing secrets stored in the clear or under an older WEBHOOK_SECRET_KEYS key.
 */
async function main(): Promise<void> {
  const { database, webhooks } = loadConfig();
  if (await ensureDatabase(database.url)) console.log('db:migrate: created the database');
  const applied = await migrateDatabase(database.url);
  console.log(applied.length ? `db:migrate: applied ${applied.join(', ')}` : 'db:migrate: schema is up to date');
  const defaults = await ensureSlaDefaults(database.url);
  if (defaults.inserted) console.log(`db:migrate: added ${defaults.inserted} default SLA calendar/policy rows`);
  if (defaults.upgraded.length) console.log(`db:migrate: updated the shipped calendars ${defaults.upgraded.join(', ')} to this release's data`);
  if (defaults.keptEdited.length) {
    console.log(`db:migrate: kept the edited calendars ${defaults.keptEdited.join(', ')}; this release's data for them is not applied (import it in the admin UI if wanted)`);
  }
  const sealed = await sealWebhookSecrets(database.url, new WebhookSecretBox(webhooks.secretKeys.map(secretKeyOf)));
  if (sealed) console.log(`db:migrate: sealed ${sealed} webhook signing secrets with the current key`);
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof DatabaseUnreachableError;
  console.error(known ? `db:migrate: ${(error as Error).message}` : error);
  process.exit(1);
});
