import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for reads that scanned whole tables:
 *  - every read of a case (the case view, each command) asks for its pending deadlines and the SLA
 *    alarms already fired; the only per-case index covered pending rows, so the fired half of that
 *    question scanned the whole table. This index covers exactly those rows (pending-only queries
 *    use it too): a few per case, not every deadline ever cancelled or fired;
 *  - /metrics counts effects and webhook deliveries that are not finished (failed ones need a
 *    person); finished rows are nearly all of both tables and stay out of these partial indexes.
 *
 * On large live tables, build them first by hand without blocking writes (`create index
 * concurrently if not exists …` with the same definitions, and check none is left INVALID by a
 * failed build), and drop the old index the same way (`drop index concurrently`): the plain
 * DROP below takes an exclusive lock and waits behind long transactions. This migration then
 * finds it all done (`if [not] exists`). Migrations run in one transaction, where CONCURRENTLY is
 * not allowed.
 */
export class Migration20261125150000OpsIndexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index if not exists deadlines_case_live_idx on deadlines (case_id) where status = 'pending' or (kind = 'sla' and status = 'fired');`);
    this.addSql(`drop index if exists deadlines_case_pending_idx;`);
    this.addSql(`create index if not exists outbox_unfinished_idx on outbox (type, status) where status <> 'done';`);
    this.addSql(`create index if not exists webhook_deliveries_unfinished_idx on webhook_deliveries (status) where status <> 'succeeded';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists webhook_deliveries_unfinished_idx;`);
    this.addSql(`drop index if exists outbox_unfinished_idx;`);
    this.addSql(`create index if not exists deadlines_case_pending_idx on deadlines (case_id) where status = 'pending';`);
    this.addSql(`drop index if exists deadlines_case_live_idx;`);
  }
}
