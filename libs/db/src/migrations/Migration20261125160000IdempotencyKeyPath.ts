import { Migration } from '@mikro-orm/migrations';

/**
 * The route a stored idempotent response belongs to. The request hash already covers it (a key
 * reused on another route is refused), but an upload must know before reading its body whether
 * its key holds a stored answer for this very route; rows from before this stay null.
 */
export class Migration20261125160000IdempotencyKeyPath extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table idempotency_keys add column if not exists request_path text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table idempotency_keys drop column if exists request_path;`);
  }
}
