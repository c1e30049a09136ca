import { Migration } from '@mikro-orm/migrations';

/**
 * `deadlines_clock_pending_idx` (a clock's pending alarms, by clock) has had no reader since the
 * command path began settling alarms from the case's live deadlines (lockCaseWithLiveDeadlines,
 * by `deadlines_case_live_idx`) and the reminder sweep began finding them by due time
 * (`deadlines_pending_due_id_idx`). It still cost every clock alarm a transition writes an index
 * entry: a resume writes four (three reminders and the breach), so one SLA transition in two paid
 * for four entries nothing looked up.
 * On a busy `deadlines` table, drop it by hand first, and this migration then finds it gone
 * (migrations run in one transaction, where CONCURRENTLY is not allowed; the plain DROP takes an
 * exclusive lock that waits behind long transactions, and every case read waits behind it):
 *   drop index concurrently if exists deadlines_clock_pending_idx;
 */
export class Migration20261206020000DropClockPendingIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index if exists deadlines_clock_pending_idx;`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index if not exists deadlines_clock_pending_idx on deadlines (sla_clock_id) where status = 'pending' and sla_clock_id is not null;`);
  }
}
