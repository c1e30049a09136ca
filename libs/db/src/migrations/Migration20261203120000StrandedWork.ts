import { Migration } from '@mikro-orm/migrations';

/**
 * Nothing stranded: a deadline whose job BullMQ gave up on is marked `failed` so it shows in the
 * metrics and can be redriven (the reason stays in the log and on BullMQ's failed job: a column
 * more on deadlines tips the planner off the per-case index for pending deadlines), and an outbox row counts how often the reconciler
 * had to put it back on BullMQ, so a row whose job keeps vanishing is parked as failed after
 * OUTBOX_MAX_RELAYS instead of circling forever.
 */
export class Migration20261203120000StrandedWork extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table deadlines drop constraint if exists deadlines_status_check;`);
    this.addSql(`alter table deadlines add constraint deadlines_status_check check (status in ('pending', 'fired', 'cancelled', 'stale', 'refused', 'failed'));`);
    this.addSql(`create index if not exists deadlines_failed_idx on deadlines (case_id) where status = 'failed';`);
    this.addSql(`alter table outbox add column if not exists relays integer not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table outbox drop column if exists relays;`);
    this.addSql(`drop index if exists deadlines_failed_idx;`);
    this.addSql(`update deadlines set status = 'pending' where status = 'failed';`);
    this.addSql(`alter table deadlines drop constraint if exists deadlines_status_check;`);
    this.addSql(`alter table deadlines add constraint deadlines_status_check check (status in ('pending', 'fired', 'cancelled', 'stale', 'refused'));`);
  }
}
