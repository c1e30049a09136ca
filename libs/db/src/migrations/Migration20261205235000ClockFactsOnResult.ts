import { Migration } from '@mikro-orm/migrations';

/**
 * The report facts of a clock are its result (met or breached) and its finished minutes, and
 * case_report_facts_from_clock writes both on every update the trigger lets through. It let
 * through every change of status or used minutes, so each pause and each resume (a running or
 * paused clock has no result) rewrote the case's facts row with the same values: a non-HOT update
 * of a table with eight indexes, and a new `changed_xid` that made the rollups recount the case
 * for nothing. Now it fires only when the result or the finished minutes can change: the finished
 * minutes moved, the clock enters or leaves a finished status (met, breached, stopped: a reopened
 * clock has no result again), or a stopped clock's minutes moved (its result compares them).
 */
export class Migration20261205235000ClockFactsOnResult extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop trigger if exists case_report_facts_clock_update on sla_clocks;`);
    this.addSql(`create trigger case_report_facts_clock_update after update on sla_clocks for each row
      when (old.finished_minutes is distinct from new.finished_minutes
        or (old.status is distinct from new.status and (old.status in ('met', 'breached', 'stopped') or new.status in ('met', 'breached', 'stopped')))
        or (new.status = 'stopped' and (old.used_minutes is distinct from new.used_minutes or old.minutes is distinct from new.minutes)))
      execute function case_report_facts_from_clock();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists case_report_facts_clock_update on sla_clocks;`);
    this.addSql(`create trigger case_report_facts_clock_update after update on sla_clocks for each row
      when (old.status is distinct from new.status or old.finished_minutes is distinct from new.finished_minutes or old.used_minutes is distinct from new.used_minutes)
      execute function case_report_facts_from_clock();`);
  }
}
