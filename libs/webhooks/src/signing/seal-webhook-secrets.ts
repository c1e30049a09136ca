import { Client } from 'pg';
import type { WebhookSecretBox } from './webhook-secret-box';

/**
 * Part of `db:migrate`: seals every signing secret still stored in the clear (endpoints created
 * before secrets were sealed) or sealed with a key that is no longer the first of
 * WEBHOOK_SECRET_KEYS, so an old key can be dropped once this has run. Returns how many it sealed.
 */
export async function sealWebhookSecrets(databaseUrl: string, box: WebhookSecretBox): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; secret: string; previous_secret: string | null }>('select id, secret, previous_secret from webhook_endpoints');
    let sealed = 0;
    for (const row of rows) {
      // Compare-and-set: an endpoint changed meanwhile keeps its new value and is sealed next time.
      if (box.needsResealing(row.secret)) {
        const result = await client.query('update webhook_endpoints set secret = $2 where id = $1 and secret = $3', [
          row.id,
          box.seal(box.open(row.secret, row.id), row.id),
          row.secret,
        ]);
        sealed += result.rowCount ?? 0;
      }
      // A rotation's replaced secret signs until its grace period ends: it must stay readable too.
      if (row.previous_secret && box.needsResealing(row.previous_secret)) {
        await client.query('update webhook_endpoints set previous_secret = $2 where id = $1 and previous_secret = $3', [
          row.id,
          box.seal(box.open(row.previous_secret, row.id), row.id),
          row.previous_secret,
        ]);
      }
    }
    return sealed;
  } finally {
    await client.end();
  }
}
