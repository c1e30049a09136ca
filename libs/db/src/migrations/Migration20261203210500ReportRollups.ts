import { Migration } from '@mikro-orm/migrations';

/**
 * Per-day rollups for the reports (issue 14), so that a report over a million cases reads a few
 * thousand rows instead of scanning case_report_facts:
 * - case_report_facts gains `livemode` (test-mode cases are left out of every report),
 *   `refunded_minor` / `refund_currency` (the succeeded refunds, kept by a trigger on refunds, so no
 *   report joins the refunds table) and `changed_xid`, the transaction that last wrote the row (set
 *   by the same upserts the triggers already run: no statement is added to a case transition);
 * - four rollup tables keyed by (kind, channel, policy_id, day) where day is the case's local day
 *   in the rollup time zone (Asia/Shanghai, the reports' default) and '*' stands for "every value":
 *   each fact is counted at five levels (all, per kind, per channel, per policy, per all three) so a
 *   report with no filter or one reads one small row set, and with two or three filters the detail;
 * - case_report_rollup_refresh(): folds the facts written since the last refresh into the rollups as
 *   deltas (what a fact counts now minus what it counted when last folded, kept in
 *   case_report_rolled), so it is idempotent and costs what changed. Reports call it before reading
 *   (they stay current); case_report_rollup_rebuild() starts over (`npm run reports:rebuild`).
 *
 * Response-time histograms: minutes (rounded as the exact report does) up to 20 are their own bucket;
 * above 20, buckets grow by 5% (bucket b > 20 holds (20·1.05^(b-21), 20·1.05^(b-20)]), and a
 * percentile is reported as its bucket's geometric middle: within 2.5% of the exact figure.
 */
/** The writing transaction's id (64-bit, never wraps) as a bigint. */
const XID = 'pg_current_xact_id()::text::bigint';
const DAY = (column: string) => `(${column} at time zone 'Asia/Shanghai')::date`;
const BUCKET = (minutes: string) => `(case when round(${minutes}) <= 20 then round(${minutes})::integer else 20 + ceil(ln(round(${minutes}) / 20.0) / ln(1.05))::integer end)`;
const LEVEL = (column: string, dimension: string) => `case when grouping(${dimension}) = 1 then '*' else ${column} end`;
/** The five levels a fact is counted at, with `rest` (the key columns after the dimensions) in each. */
const LEVELS = (rest: string) => `grouping sets ((${rest}), (kind, ${rest}), (channel, ${rest}), (policy_id, ${rest}), (kind, channel, policy_id, ${rest}))`;
const DIMENSIONS = `${LEVEL('kind', 'kind')} as kind, ${LEVEL('channel', 'channel')} as channel, ${LEVEL('policy_id', 'policy_id')} as policy_id`;

export class Migration20261203210500ReportRollups extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table case_report_facts add column if not exists livemode boolean not null default true;`);
    this.addSql(`alter table case_report_facts add column if not exists refunded_minor bigint null;`);
    this.addSql(`alter table case_report_facts add column if not exists refund_currency text null;`);
    // Existing rows get 0 (folded by the first refresh); new writes stamp their own transaction. A
    // bigint rather than xid8: the planner estimates a range of bigints (xid8 has no statistics, so
    // "changed since the watermark" would be guessed at a third of the table and scanned whole).
    this.addSql(`alter table case_report_facts add column if not exists changed_xid bigint not null default 0;`);
    this.addSql(`alter table case_report_facts alter column changed_xid set default ${XID};`);
    this.addSql(`create index if not exists case_report_facts_changed_idx on case_report_facts (changed_xid);`);
    this.addSql(`update case_report_facts f set livemode = false from cases c where c.id = f.case_id and not c.livemode;`);
    this.addSql(`update case_report_facts f set refunded_minor = r.amount, refund_currency = r.currency
      from (select case_id, sum(amount_minor) as amount, min(currency) as currency from refunds where status = 'succeeded' group by case_id) r where r.case_id = f.case_id;`);

    // Statistics for changed_xid: "changed since the watermark" must be planned as the few rows it is.
    this.addSql(`analyze case_report_facts;`);
    this.addSql(`create or replace function case_report_facts_from_case() returns trigger language plpgsql as $$
      begin
        insert into case_report_facts (case_id, created_at, closed_at, kind, channel, policy_id, assignee_id, merchant_id, outcome, dispute_reason, livemode)
        values (new.id, new.created_at, new.closed_at, new.kind, new.channel, new.sla_policy_id, new.assignee_id, new.merchant_id, new.outcome, new.dispute_reason, new.livemode)
        on conflict (case_id) do update set created_at = excluded.created_at, closed_at = excluded.closed_at, kind = excluded.kind, channel = excluded.channel,
          policy_id = excluded.policy_id, assignee_id = excluded.assignee_id, merchant_id = excluded.merchant_id, outcome = excluded.outcome,
          dispute_reason = excluded.dispute_reason, livemode = excluded.livemode, changed_xid = ${XID};
        return null;
      end $$;`);
    this.addSql(`drop trigger if exists case_report_facts_case_update on cases;`);
    this.addSql(`create trigger case_report_facts_case_update after update on cases for each row
      when (old.status is distinct from new.status or old.assignee_id is distinct from new.assignee_id or old.outcome is distinct from new.outcome
            or old.closed_at is distinct from new.closed_at or old.created_at is distinct from new.created_at or old.sla_policy_id is distinct from new.sla_policy_id
            or old.channel is distinct from new.channel or old.merchant_id is distinct from new.merchant_id or old.livemode is distinct from new.livemode)
      execute function case_report_facts_from_case();`);
    this.addSql(`create or replace function case_report_facts_from_clock() returns trigger language plpgsql as $$
      declare
        result text := case when new.status = 'met' or (new.status = 'stopped' and new.used_minutes <= new.minutes) then 'met'
                            when new.status = 'breached' or (new.status = 'stopped' and new.used_minutes > new.minutes) then 'breached' end;
      begin
        if new.target = 'firstResponse' then
          insert into case_report_facts (case_id, first_response_result, first_response_minutes) values (new.case_id, result, new.finished_minutes)
          on conflict (case_id) do update set first_response_result = excluded.first_response_result, first_response_minutes = excluded.first_response_minutes,
            changed_xid = ${XID};
        elsif new.target = 'resolution' then
          insert into case_report_facts (case_id, resolution_result, resolution_minutes) values (new.case_id, result, new.finished_minutes)
          on conflict (case_id) do update set resolution_result = excluded.resolution_result, resolution_minutes = excluded.resolution_minutes,
            changed_xid = ${XID};
        end if;
        return null;
      end $$;`);
    this.addSql(`create or replace function case_report_facts_from_rating() returns trigger language plpgsql as $$
      begin
        insert into case_report_facts (case_id, rating) values (new.case_id, new.score)
        on conflict (case_id) do update set rating = excluded.rating, changed_xid = ${XID};
        return null;
      end $$;`);
    // A refund is written by the refund worker, not by a case transition: one more statement there.
    this.addSql(`create or replace function case_report_facts_from_refund() returns trigger language plpgsql as $$
      begin
        update case_report_facts f set refunded_minor = r.amount, refund_currency = r.currency, changed_xid = ${XID}
          from (select sum(amount_minor) as amount, min(currency) as currency from refunds where case_id = new.case_id and status = 'succeeded') r
         where f.case_id = new.case_id and (f.refunded_minor, f.refund_currency) is distinct from (r.amount, r.currency);
        return null;
      end $$;`);
    this.addSql(`create trigger case_report_facts_refund after insert or update of status, amount_minor on refunds for each row execute function case_report_facts_from_refund();`);

    this.addSql(`create table case_report_rollup_state (
      id boolean primary key default true check (id),
      time_zone text not null,
      watermark bigint not null
    );`);
    this.addSql(`insert into case_report_rollup_state (time_zone, watermark) values ('Asia/Shanghai', 0);`);
    // What each fact counted when it was last folded into the rollups: the delta's minus side. Same
    // columns in the same order as case_report_facts (the refresh unions the two with *): a migration
    // that adds a column to the facts adds it here too.
    this.addSql(`create table case_report_rolled (like case_report_facts);`);
    this.addSql(`alter table case_report_rolled add primary key (case_id);`);
    const key = `kind text not null, channel text not null, policy_id text not null, day date not null`;
    // Counts per day: opened (by the day opened), closed (by the day closed), SLA clocks met and
    // breached, outcomes, ratings per score, and refunded amounts (per currency) of decided cases.
    this.addSql(`create table case_report_days (${key}, refund_currency text not null,
      opened integer not null default 0, closed integer not null default 0, met integer not null default 0, breached integer not null default 0,
      won integer not null default 0, lost integer not null default 0, withdrawn integer not null default 0, approved integer not null default 0,
      rejected integer not null default 0, refunded_minor bigint not null default 0,
      rated_1 integer not null default 0, rated_2 integer not null default 0, rated_3 integer not null default 0, rated_4 integer not null default 0,
      rated_5 integer not null default 0,
      primary key (kind, channel, policy_id, day, refund_currency));`);
    this.addSql(`create table case_report_agent_days (${key}, assignee_id text not null, met integer not null default 0, breached integer not null default 0,
      primary key (kind, channel, policy_id, day, assignee_id));`);
    this.addSql(`create table case_report_minute_days (${key}, target text not null, bucket integer not null, n integer not null default 0,
      primary key (kind, channel, policy_id, day, target, bucket));`);
    this.addSql(`create table case_report_dispute_days (${key}, merchant_id text not null, reason text not null, refund_currency text not null,
      won integer not null default 0, lost integer not null default 0, withdrawn integer not null default 0, refunded_minor bigint not null default 0,
      primary key (kind, channel, policy_id, day, merchant_id, reason, refund_currency));`);

    // c: one row per (fact, sign): +1 for what the fact says now, -1 for what it said when last folded.
    const contributions = `(select 1 as sign, n.* from case_report_changed n where n.livemode and n.created_at is not null
       union all select -1, o.* from case_report_rolled o join case_report_changed n using (case_id) where o.livemode and o.created_at is not null)`;
    const dims = `coalesce(c.kind, '') as kind, coalesce(c.channel, '') as channel, coalesce(c.policy_id, '') as policy_id`;
    /** The fact's sign (+1 now, -1 as last folded) where the condition holds, else 0 (never null: sums stay numbers). */
    const signed = (condition: string) => `(case when ${condition} then c.sign else 0 end)`;
    const add = (columns: string[]) => columns.map((column) => `${column} = t.${column} + excluded.${column}`).join(', ');
    this.addSql(`create or replace function case_report_rollup_refresh() returns integer language plpgsql as $$
      declare
        last_watermark bigint;
        next_watermark bigint;
        pending boolean;
        folded integer;
      begin
        -- One refresher at a time; the others wait and then find little left to do.
        perform pg_advisory_xact_lock(hashtext('case_report_rollup_refresh'));
        -- Every transaction below this xid has ended, so the rows it wrote are visible to the next
        -- statement; later ones are taken again next time (harmless: a delta against the rolled copy).
        next_watermark := pg_snapshot_xmin(pg_current_snapshot())::text::bigint;
        -- Nothing written since the last refresh (the usual case between two reports): no work, no write.
        -- Planned with the watermark's value (EXECUTE … USING): a generic plan guesses a third of the table and scans it all.
        select watermark into last_watermark from case_report_rollup_state;
        execute 'select exists (select 1 from case_report_facts where changed_xid >= $1)' into pending using last_watermark;
        if not pending then
          return 0;
        end if;
        drop table if exists case_report_changed;
        execute 'create temp table case_report_changed on commit drop as select * from case_report_facts where changed_xid >= $1' using last_watermark;
        get diagnostics folded = row_count;
        if folded > 0 then
          insert into case_report_days as t (kind, channel, policy_id, day, refund_currency, opened, closed, met, breached, won, lost, withdrawn, approved, rejected,
              refunded_minor, rated_1, rated_2, rated_3, rated_4, rated_5)
          select ${DIMENSIONS}, day, refund_currency, sum(opened), sum(closed), sum(met), sum(breached), sum(won), sum(lost), sum(withdrawn), sum(approved),
                 sum(rejected), sum(refunded_minor), sum(rated_1), sum(rated_2), sum(rated_3), sum(rated_4), sum(rated_5)
            from (select ${dims}, d.day, case when d.opened then coalesce(c.refund_currency, '') else '' end as refund_currency,
                         ${signed('d.opened')} as opened, ${signed('not d.opened')} as closed,
                         ${signed("d.opened and c.first_response_result = 'met'")} + ${signed("d.opened and c.resolution_result = 'met'")} as met,
                         ${signed("d.opened and c.first_response_result = 'breached'")} + ${signed("d.opened and c.resolution_result = 'breached'")} as breached,
                         ${['won', 'lost', 'withdrawn', 'approved', 'rejected'].map((outcome) => `${signed(`d.opened and c.outcome = '${outcome}'`)} as ${outcome}`).join(', ')},
                         case when d.opened and c.outcome is not null then c.sign * coalesce(c.refunded_minor, 0) else 0 end as refunded_minor,
                         ${[1, 2, 3, 4, 5].map((score) => `${signed(`d.opened and c.rating = ${score}`)} as rated_${score}`).join(', ')}
                    from ${contributions} c
                    cross join lateral (values (${DAY('c.created_at')}, true), (${DAY('c.closed_at')}, false)) d(day, opened)
                   where d.day is not null) s
           group by ${LEVELS('day, refund_currency')}
          on conflict (kind, channel, policy_id, day, refund_currency) do update set
            ${add(['opened', 'closed', 'met', 'breached', 'won', 'lost', 'withdrawn', 'approved', 'rejected', 'refunded_minor', 'rated_1', 'rated_2', 'rated_3', 'rated_4', 'rated_5'])};

          insert into case_report_agent_days as t (kind, channel, policy_id, day, assignee_id, met, breached)
          select ${DIMENSIONS}, day, assignee_id, sum(met), sum(breached)
            from (select ${dims}, ${DAY('c.created_at')} as day, coalesce(c.assignee_id::text, '') as assignee_id,
                         ${signed("c.first_response_result = 'met'")} + ${signed("c.resolution_result = 'met'")} as met,
                         ${signed("c.first_response_result = 'breached'")} + ${signed("c.resolution_result = 'breached'")} as breached
                    from ${contributions} c where c.first_response_result is not null or c.resolution_result is not null) s
           group by ${LEVELS('day, assignee_id')}
          on conflict (kind, channel, policy_id, day, assignee_id) do update set ${add(['met', 'breached'])};

          insert into case_report_minute_days as t (kind, channel, policy_id, day, target, bucket, n)
          select ${DIMENSIONS}, day, target, bucket, sum(sign)
            from (select ${dims}, ${DAY('c.created_at')} as day, m.target, ${BUCKET('m.minutes')} as bucket, c.sign
                    from ${contributions} c
                    cross join lateral (values ('firstResponse', c.first_response_minutes), ('resolution', c.resolution_minutes)) m(target, minutes)
                   where m.minutes is not null) s
           group by ${LEVELS('day, target, bucket')}
          on conflict (kind, channel, policy_id, day, target, bucket) do update set ${add(['n'])};

          insert into case_report_dispute_days as t (kind, channel, policy_id, day, merchant_id, reason, refund_currency, won, lost, withdrawn, refunded_minor)
          select ${DIMENSIONS}, day, merchant_id, reason, refund_currency, sum(won), sum(lost), sum(withdrawn), sum(refunded_minor)
            from (select ${dims}, ${DAY('c.created_at')} as day, coalesce(c.merchant_id, '') as merchant_id, coalesce(c.dispute_reason, '') as reason,
                         coalesce(c.refund_currency, '') as refund_currency, ${signed("c.outcome = 'won'")} as won, ${signed("c.outcome = 'lost'")} as lost,
                         ${signed("c.outcome = 'withdrawn'")} as withdrawn, c.sign * coalesce(c.refunded_minor, 0) as refunded_minor
                    from ${contributions} c where c.kind = 'dispute' and c.outcome is not null) s
           group by ${LEVELS('day, merchant_id, reason, refund_currency')}
          on conflict (kind, channel, policy_id, day, merchant_id, reason, refund_currency) do update set ${add(['won', 'lost', 'withdrawn', 'refunded_minor'])};

          delete from case_report_rolled r using case_report_changed n where r.case_id = n.case_id;
          insert into case_report_rolled select * from case_report_changed;
        end if;
        update case_report_rollup_state set watermark = greatest(watermark, next_watermark);
        return folded;
      end $$;`);
    this.addSql(`create or replace function case_report_rollup_rebuild() returns integer language plpgsql as $$
      declare
        folded integer;
      begin
        perform pg_advisory_xact_lock(hashtext('case_report_rollup_refresh'));
        truncate case_report_days, case_report_agent_days, case_report_minute_days, case_report_dispute_days, case_report_rolled;
        analyze case_report_facts;
        update case_report_rollup_state set watermark = 0;
        folded := case_report_rollup_refresh();
        -- Each level's days side by side on disk, as reports read them (a year of one level is a few hundred pages, not thousands).
        cluster case_report_days using case_report_days_pkey;
        cluster case_report_agent_days using case_report_agent_days_pkey;
        cluster case_report_minute_days using case_report_minute_days_pkey;
        cluster case_report_dispute_days using case_report_dispute_days_pkey;
        analyze case_report_days, case_report_agent_days, case_report_minute_days, case_report_dispute_days, case_report_rolled;
        return folded;
      end $$;`);
    this.addSql(`select case_report_rollup_rebuild();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists case_report_rollup_rebuild();`);
    this.addSql(`drop function if exists case_report_rollup_refresh();`);
    this.addSql(`drop table if exists case_report_dispute_days, case_report_minute_days, case_report_agent_days, case_report_days, case_report_rolled, case_report_rollup_state;`);
    this.addSql(`drop trigger if exists case_report_facts_refund on refunds;`);
    this.addSql(`drop function if exists case_report_facts_from_refund();`);
    this.addSql(`drop index if exists case_report_facts_changed_idx;`);
    // The facts' triggers as Migration20261203200600Reports wrote them (they must not name the dropped columns).
    this.addSql(`create or replace function case_report_facts_from_case() returns trigger language plpgsql as $$
      begin
        insert into case_report_facts (case_id, created_at, closed_at, kind, channel, policy_id, assignee_id, merchant_id, outcome, dispute_reason)
        values (new.id, new.created_at, new.closed_at, new.kind, new.channel, new.sla_policy_id, new.assignee_id, new.merchant_id, new.outcome, new.dispute_reason)
        on conflict (case_id) do update set created_at = excluded.created_at, closed_at = excluded.closed_at, kind = excluded.kind, channel = excluded.channel,
          policy_id = excluded.policy_id, assignee_id = excluded.assignee_id, merchant_id = excluded.merchant_id, outcome = excluded.outcome, dispute_reason = excluded.dispute_reason;
        return null;
      end $$;`);
    this.addSql(`drop trigger if exists case_report_facts_case_update on cases;`);
    this.addSql(`create trigger case_report_facts_case_update after update on cases for each row
      when (old.status is distinct from new.status or old.assignee_id is distinct from new.assignee_id or old.outcome is distinct from new.outcome
            or old.closed_at is distinct from new.closed_at or old.created_at is distinct from new.created_at or old.sla_policy_id is distinct from new.sla_policy_id
            or old.channel is distinct from new.channel or old.merchant_id is distinct from new.merchant_id)
      execute function case_report_facts_from_case();`);
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
    this.addSql(`create or replace function case_report_facts_from_rating() returns trigger language plpgsql as $$
      begin
        insert into case_report_facts (case_id, rating) values (new.case_id, new.score) on conflict (case_id) do update set rating = excluded.rating;
        return null;
      end $$;`);
    this.addSql(
      `alter table case_report_facts drop column if exists changed_xid, drop column if exists refund_currency, drop column if exists refunded_minor, drop column if exists livemode;`,
    );
  }
}
