import { Migration } from '@mikro-orm/migrations';

/**
 * The reconciler now walks pending deadlines by due time, up to DEADLINE_JOB_HORIZON_MS ahead
 * (deadlines_pending_due_idx), instead of every pending id: the partial index of pending ids that
 * walk used has no reader left, and every deadline written or settled paid for keeping it.
 */
export class Migration20261205170000DeadlineJobHorizon extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index if exists deadlines_pending_id_idx;`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index if not exists deadlines_pending_id_idx on deadlines (id) where status = 'pending';`);
  }
}
