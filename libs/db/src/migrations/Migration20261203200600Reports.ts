import { Migration } from '@mikro-orm/migrations';

/**
 * What the supervisors' reports read, kept on the rows so that a report over a million cases is a
 * scan of narrow columns instead of a walk through every snapshot and timeline:
 * - `cases.closed_at`: when the case reached a final state, stamped by a trigger when `status`
 *   becomes `done` (the engine's own `updated_at` of that write, so test clocks hold);
 * - `cases.outcome` and `cases.dispute_reason`: derived from the snapshot and the machine input by
 *   generated columns, so no writer can forget them (dispute: won / lost / withdrawn from the
 *   merchant's side, once closed; refund request: approved / rejected once decided, or withdrawn);
 * - `case_report_facts`: one narrow row per case that the reports scan, kept by triggers (below);
 * - `sla_clocks.finished_at` / `finished_minutes`: when a clock's target was reached and how many
 *   minutes (in the clock's mode) it took, also after a breach, written by the SLA tracker.
 */
const RESULT = (k: string) =>
  `case when ${k}.status = 'met' or (${k}.status = 'stopped' and ${k}.used_minutes <= ${k}.minutes) then 'met' when ${k}.status = 'breached' or (${k}.status = 'stopped' and ${k}.used_minutes > ${k}.minutes) then 'breached' end`;

export class Migration20261203200600Reports extends Migration {
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

    this.addSql(`alter table sla_clocks add column if not exists finished_at timestamptz null;`);
    this.addSql(`alter table sla_clocks add column if not exists finished_minutes double precision null;`);
    this.addSql(`update sla_clocks set finished_at = coalesce(met_at, created_at), finished_minutes = used_minutes where status in ('met', 'stopped');`);

    // One narrow row per case with everything a report filters and counts, kept by triggers from the
    // rows the engine writes anyway (cases, sla_clocks, case_ratings): reports scan it alone, never
    // joining a million cases to two million clocks, and no engine code has to remember it.
    this.addSql(`create table if not exists case_report_facts (
      case_id uuid primary key,
      created_at timestamptz null,
      closed_at timestamptz null,
      kind text null,
      channel text null,
      policy_id text null,
      assignee_id uuid null,
      merchant_id text null,
      outcome text null,
      dispute_reason text null,
      first_response_result text null,
      first_response_minutes double precision null,
      resolution_result text null,
      resolution_minutes double precision null,
      rating smallint null
    );`);
    this.addSql(`create or replace function case_report_facts_from_case() returns trigger language plpgsql as $$
      begin
        insert into case_report_facts (case_id, created_at, closed_at, kind, channel, policy_id, assignee_id, merchant_id, outcome, dispute_reason)
        values (new.id, new.created_at, new.closed_at, new.kind, new.channel, new.sla_policy_id, new.assignee_id, new.merchant_id, new.outcome, new.dispute_reason)
        on conflict (case_id) do update set created_at = excluded.created_at, closed_at = excluded.closed_at, kind = excluded.kind, channel = excluded.channel,
          policy_id = excluded.policy_id, assignee_id = excluded.assignee_id, merchant_id = excluded.merchant_id, outcome = excluded.outcome, dispute_reason = excluded.dispute_reason;
        return null;
      end $$;`);
    this.addSql(`create trigger case_report_facts_case_insert after insert on cases for each row execute function case_report_facts_from_case();`);
    this.addSql(`create trigger case_report_facts_case_update after update on cases for each row
      when (old.status is distinct from new.status or old.assignee_id is distinct from new.assignee_id or old.outcome is distinct from new.outcome
            or old.closed_at is distinct from new.closed_at or old.created_at is distinct from new.created_at or old.sla_policy_id is distinct from new.sla_policy_id
            or old.channel is distinct from new.channel or old.merchant_id is distinct from new.merchant_id)
      execute function case_report_facts_from_case();`);
    // A clock counts as met when it stopped within its target, as breached when it breached (or stopped late).
    this.addSql(`create or replace function case_report_facts_from_clock() returns trigger language plpgsql as $$
      declare
        result text := case when new.status = 'met' or (new.status = 'stopped' and new.used_minutes <= new.minutes) then 'met'
                            when new.status = 'breached' or (new.status = 'stopped' and new.used_minutes > new.minutes) then 'breached' end;
      begin
        if new.target = 'firstResponse' then
          insert into case_report_facts (case_id, first_response_result, first_response_minutes) values (new.case_id, result, new.finished_minutes)
          on conflict (case_id) do update set first_response_result = excluded.first_response_result, first_response_minutes = excluded.first_response_minutes;
        elsif new.target = 'resolution' then
          insert into case_report_facts (case_id, resolution_result, resolution_minutes) values (new.case_id, result, new.finished_minutes)
          on conflict (case_id) do update set resolution_result = excluded.resolution_result, resolution_minutes = excluded.resolution_minutes;
        end if;
        return null;
      end $$;`);
    this.addSql(`create trigger case_report_facts_clock_insert after insert on sla_clocks for each row execute function case_report_facts_from_clock();`);
    this.addSql(`create trigger case_report_facts_clock_update after update on sla_clocks for each row
      when (old.status is distinct from new.status or old.finished_minutes is distinct from new.finished_minutes or old.used_minutes is distinct from new.used_minutes)
      execute function case_report_facts_from_clock();`);
    this.addSql(`create or replace function case_report_facts_from_rating() returns trigger language plpgsql as $$
      begin
        insert into case_report_facts (case_id, rating) values (new.case_id, new.score) on conflict (case_id) do update set rating = excluded.rating;
        return null;
      end $$;`);
    this.addSql(`create trigger case_report_facts_rating after insert or update on case_ratings for each row execute function case_report_facts_from_rating();`);
    this.addSql(`insert into case_report_facts (case_id, created_at, closed_at, kind, channel, policy_id, assignee_id, merchant_id, outcome, dispute_reason,
        first_response_result, first_response_minutes, resolution_result, resolution_minutes, rating)
      select c.id, c.created_at, c.closed_at, c.kind, c.channel, c.sla_policy_id, c.assignee_id, c.merchant_id, c.outcome, c.dispute_reason,
             ${RESULT('fr')}, fr.finished_minutes, ${RESULT('rs')}, rs.finished_minutes, r.score
        from cases c
        left join sla_clocks fr on fr.case_id = c.id and fr.target = 'firstResponse'
        left join sla_clocks rs on rs.case_id = c.id and rs.target = 'resolution'
        left join case_ratings r on r.case_id = c.id
      on conflict (case_id) do nothing;`);
    this.addSql(`create index if not exists case_report_facts_created_idx on case_report_facts (created_at);`);
    this.addSql(`create index if not exists case_report_facts_closed_idx on case_report_facts (closed_at) where closed_at is not null;`);
    // A report's fixed kind (disputes, refund requests) and the filters that pick few rows (an agent, a merchant) go through their own index.
    this.addSql(`create index if not exists case_report_facts_kind_idx on case_report_facts (kind, created_at);`);
    this.addSql(`create index if not exists case_report_facts_assignee_idx on case_report_facts (assignee_id, created_at);`);
    this.addSql(`create index if not exists case_report_facts_merchant_idx on case_report_facts (merchant_id, created_at) where merchant_id is not null;`);
    this.addSql(`create index if not exists case_report_facts_rated_idx on case_report_facts (created_at) include (rating) where rating is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists case_report_facts_rating on case_ratings;`);
    this.addSql(`drop trigger if exists case_report_facts_clock_update on sla_clocks;`);
    this.addSql(`drop trigger if exists case_report_facts_clock_insert on sla_clocks;`);
    this.addSql(`drop trigger if exists case_report_facts_case_update on cases;`);
    this.addSql(`drop trigger if exists case_report_facts_case_insert on cases;`);
    this.addSql(`drop function if exists case_report_facts_from_rating();`);
    this.addSql(`drop function if exists case_report_facts_from_clock();`);
    this.addSql(`drop function if exists case_report_facts_from_case();`);
    this.addSql(`drop table if exists case_report_facts;`);
    this.addSql(`alter table sla_clocks drop column if exists finished_minutes;`);
    this.addSql(`alter table sla_clocks drop column if exists finished_at;`);
    this.addSql(`alter table cases drop column if exists dispute_reason;`);
    this.addSql(`alter table cases drop column if exists outcome;`);
    this.addSql(`drop trigger if exists cases_stamp_closed_at on cases;`);
    this.addSql(`drop function if exists cases_stamp_closed_at();`);
    this.addSql(`alter table cases drop column if exists closed_at;`);
  }
}
