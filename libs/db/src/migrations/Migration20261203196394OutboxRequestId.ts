import { Migration } from '@mikro-orm/migrations';

/**
 * The id of the request that caused an outbox row (X-Request-Id, or the one the API gave it), so
 * that the jobs the row becomes, and the worker's log lines for them, can be found from the
 * request. Null for rows written before, and for rows no request caused. Not indexed: it is looked
 * up when someone investigates one request, not on any path the engine runs.
 */
export class Migration20261203196394OutboxRequestId extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table outbox add column if not exists request_id text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table outbox drop column if exists request_id;`);
  }
}
