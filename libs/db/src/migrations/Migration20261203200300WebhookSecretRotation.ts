import { Migration } from '@mikro-orm/migrations';

/**
 * Signing-secret rotation with a grace period: the secret a rotation replaced keeps signing (a
 * second signature in `webhook-signature`) until `previous_secret_expires_at`, so a merchant can
 * deploy the new one without dropping a delivery. Sealed like `secret`.
 * A test event ("send test event") is a delivery no outbox row caused: `outbox_id` may be null.
 */
export class Migration20261203200300WebhookSecretRotation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table webhook_endpoints add column if not exists previous_secret text null, add column if not exists previous_secret_expires_at timestamptz null;`);
    this.addSql(`alter table webhook_endpoints add constraint webhook_endpoints_previous_secret_chk check ((previous_secret is null) = (previous_secret_expires_at is null));`);
    this.addSql(`alter table webhook_deliveries alter column outbox_id drop not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from webhook_attempts where delivery_id in (select id from webhook_deliveries where outbox_id is null);`);
    this.addSql(`delete from webhook_deliveries where outbox_id is null;`);
    this.addSql(`alter table webhook_deliveries alter column outbox_id set not null;`);
    this.addSql(`alter table webhook_endpoints drop constraint if exists webhook_endpoints_previous_secret_chk;`);
    this.addSql(`alter table webhook_endpoints drop column if exists previous_secret, drop column if exists previous_secret_expires_at;`);
  }
}
