import { Migration } from '@mikro-orm/migrations';

/**
 * What the supervisors' reports read, kept on the rows so that a report over a million cases is a
 * scan of narrow columns instead of a walk through every snapshot and timeline:
 * - `cases.closed_at`: when the case reached a final state, stamped by a trigger when `status`
 *   becomes `done` (the engine's own `updated_at` of that write, so test clocks hold);
 * - `cases.outcome` and `cases.dispute_reason`: derived from the snapshot and the machine input by
 *   generated columns, so no writer can forget them (dispute: won / lost / withdrawn from the
 *   merchant's side, once closed; refund request: approved / rejected once decided, or withdrawn);
 * - `sla_clocks.finished_at` / `finished_minutes`: when a clock's target was reached and how many
 *   minutes (in the clock's mode) it took, also after a breach, written by the SLA tracker.
 */
export class Migration20261203164000Reports extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table cases add column if not exists closed_at timestamptz null;`);
    this.addSql(
      `update cases c set closed_at = e.at from (select case_id, max(created_at) as at from case_events where category = 'machine' group by case_id) e
        where e.case_id = c.id and c.status = 'done';`,
    );
    this.addSql(`update cases set closed_at = updated_at where status = 'done' and closed_at is null;`);
    this.addSql(`create or replace function cases_stamp_closed_at() returns trigger language plpgsql as $$
      begin
        if new.status = 'done' and (tg_op = 'INSERT' or old.status is distinct from 'done') then
          new.closed_at := coalesce(new.updated_at, now());
        elsif new.status <> 'done' then
          new.closed_at := null;
        end if;
        return new;
      end $$;`);
    this.addSql(`create trigger cases_stamp_closed_at before insert or update of status on cases for each row execute function cases_stamp_closed_at();`);

    this.addSql(`alter table cases add column if not exists outcome text generated always as (
      case
        when kind in ('dispute', 'refund_request') and state = 'withdrawn' then 'withdrawn'
        when kind = 'dispute' and status = 'done' then
          case snapshot -> 'context' -> 'decisions' -> -1 ->> 'outcome' when 'rejected' then 'won' when 'full_refund' then 'lost' when 'partial_refund' then 'lost' end
        when kind = 'refund_request' then
          case snapshot -> 'context' -> 'decision' ->> 'outcome' when 'rejected' then 'rejected' when 'full_refund' then 'approved' when 'partial_refund' then 'approved' end
      end) stored;`);
    this.addSql(`alter table cases add column if not exists dispute_reason text generated always as (case when kind = 'dispute' then machine_input ->> 'reason' end) stored;`);

    // Opened and closed per period; each covers the filters, so a report reads the index only.
    this.addSql(`create index if not exists cases_report_opened_idx on cases (created_at) include (kind, channel, sla_policy_id, assignee_id, merchant_id);`);
    this.addSql(
      `create index if not exists cases_report_closed_idx on cases (closed_at) include (kind, channel, sla_policy_id, assignee_id, merchant_id) where closed_at is not null;`,
    );
    this.addSql(
      `create index if not exists cases_report_outcome_idx on cases (created_at) include (kind, outcome, dispute_reason, channel, sla_policy_id, assignee_id, merchant_id) where outcome is not null;`,
    );

    this.addSql(`alter table sla_clocks add column if not exists finished_at timestamptz null;`);
    this.addSql(`alter table sla_clocks add column if not exists finished_minutes double precision null;`);
    this.addSql(`update sla_clocks set finished_at = coalesce(met_at, created_at), finished_minutes = used_minutes where status in ('met', 'stopped');`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table sla_clocks drop column if exists finished_minutes;`);
    this.addSql(`alter table sla_clocks drop column if exists finished_at;`);
    this.addSql(`drop index if exists cases_report_outcome_idx;`);
    this.addSql(`drop index if exists cases_report_closed_idx;`);
    this.addSql(`drop index if exists cases_report_opened_idx;`);
    this.addSql(`alter table cases drop column if exists dispute_reason;`);
    this.addSql(`alter table cases drop column if exists outcome;`);
    this.addSql(`drop trigger if exists cases_stamp_closed_at on cases;`);
    this.addSql(`drop function if exists cases_stamp_closed_at();`);
    this.addSql(`alter table cases drop column if exists closed_at;`);
  }
}
