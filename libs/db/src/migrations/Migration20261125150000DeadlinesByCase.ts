import { Migration } from '@mikro-orm/migrations';

/**
 * Every read of a case (the case view, each command) asks for its pending deadlines and the SLA
 * alarms already fired. The only per-case index covered pending rows, so the fired half of that
 * question scanned the whole table. One index on case_id serves both (a case has few deadlines).
 *
 * On a large live table, build it first by hand without blocking writes:
 *   create index concurrently if not exists deadlines_case_idx on deadlines (case_id);
 * this migration then keeps it (`if not exists`). Migrations run in one transaction, where
 * CONCURRENTLY is not allowed.
 */
export class Migration20261125150000DeadlinesByCase extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index if not exists deadlines_case_idx on deadlines (case_id);`);
    this.addSql(`drop index if exists deadlines_case_pending_idx;`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index if not exists deadlines_case_pending_idx on deadlines (case_id) where status = 'pending';`);
    this.addSql(`drop index if exists deadlines_case_idx;`);
  }
}
