import { Migration } from '@mikro-orm/migrations';

/**
 * The reconciler walks every pending deadline by id, 5,000 at a time, every RECONCILE_INTERVAL_MS.
 * Without an index of pending ids that walk reads either the whole primary key (settled deadlines
 * pile up forever: most rows are not pending) or every pending row per batch and sorts them. This
 * partial index holds only the pending ids, so each batch is a short index-only range scan.
 */
export class Migration20261203183930ReconcilerPendingIds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index if not exists deadlines_pending_id_idx on deadlines (id) where status = 'pending';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists deadlines_pending_id_idx;`);
  }
}
