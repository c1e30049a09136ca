import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for reads that scanned whole tables:
 *  - every read of a case (the case view, each command) asks for its pending deadlines and the SLA
 *    alarms already fired; the only per-case index covered pending rows, so the fired half of that
 *    question scanned the whole table. One index on case_id serves both (a case has few deadlines);
 *  - /metrics counts effects and webhook deliveries that are not finished (failed ones need a
 *    person); finished rows are nearly all of both tables and stay out of these partial indexes.
 *
 * On large live tables, build them first by hand without blocking writes (`create index
 * concurrently if not exists …` with the same definitions); this migration then keeps them
 * (`if not exists`). Migrations run in one transaction, where CONCURRENTLY is not allowed.
 */
export class Migration20261125150000OpsIndexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index if not exists deadlines_case_idx on deadlines (case_id);`);
    this.addSql(`drop index if exists deadlines_case_pending_idx;`);
    this.addSql(`create index if not exists outbox_unfinished_idx on outbox (type, status) where status <> 'done';`);
    this.addSql(`create index if not exists webhook_deliveries_unfinished_idx on webhook_deliveries (status) where status <> 'succeeded';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists webhook_deliveries_unfinished_idx;`);
    this.addSql(`drop index if exists outbox_unfinished_idx;`);
    this.addSql(`create index if not exists deadlines_case_pending_idx on deadlines (case_id) where status = 'pending';`);
    this.addSql(`drop index if exists deadlines_case_idx;`);
  }
}
