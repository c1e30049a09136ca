import { MikroORM } from '@mikro-orm/postgresql';
import { REPORT_NAMES, type ReportName } from '@app/cases';
import { databaseUrlFor, ensureDatabase, migrateDatabase, ormOptions } from '@app/db';
// The report queries themselves (not the HTTP layer): what a report costs in PostgreSQL at scale.
import { rebuildReportRollups, runReport } from '../../libs/cases/src/reports/case-reports';
import type { ReportFilters } from '../../libs/cases/src/reports/report-filters';
import { benchServerUrl } from './support/bench-app';
import type { Benchmark, BenchmarkReport, ReportRow } from './support/benchmark';
import { intFromEnv, log } from './support/env';
import { round, summarize } from './support/stats';

/**
 * Reports at scale (issue 14): every report over BENCH_REPORTS_CASES (default 1,000,000) cases with
 * their SLA clocks, timelines (two rows each), refunds and ratings, spread over the year before
 * ANCHOR. The data is seeded with generate_series in SQL, once: the database
 * `dispute_bench_reports_<n>` is kept and reused by later runs (BENCH_REPORTS_RESEED=1 seeds it
 * again), then the reports' per-day rollups are rebuilt from the facts (BENCH_REPORTS_REBUILD=1
 * rebuilds them on a reused database too). Each report runs ROUNDS times over the last 90 days and
 * over the whole year with and without a filter (rollups), and with an agent or merchant filter
 * (facts); p95 against the 1 s target.
 */
const ANCHOR = '2026-12-01';

const settings = () => ({
  cases: intFromEnv('BENCH_REPORTS_CASES', 1_000_000),
  rounds: intFromEnv('BENCH_REPORTS_ROUNDS', 10),
  reseed: process.env.BENCH_REPORTS_RESEED === '1',
});

async function seed(orm: MikroORM, cases: number): Promise<number> {
  const started = performance.now();
  const connection = orm.em.getConnection();
  const run = (sql: string) => connection.execute(sql);
  await run(`set session_replication_role = replica`); // bulk load: no triggers (the hash chain), columns written directly
  await run(`truncate case_report_facts, case_ratings, refunds, outbox, sla_clocks, deadlines, case_events, cases cascade`);
  await run(`delete from agents where email like 'bench-%'`);
  await run(`insert into agents (id, email, display_name, role, password_hash)
             select ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'bench-' || g || '@bench.test', 'Bench agent ' || g, 'agent', 'x'
               from generate_series(1, 50) g`);
  await run(`insert into cases (id, kind, machine_version, state, status, snapshot, machine_input, version, priority, channel, subject, customer_id,
                                merchant_id, amount_minor, currency, assignee_id, sla_policy_id, created_at, updated_at, closed_at)
    select ('10000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, kind, 1,
           case when done and withdrawn then 'withdrawn' when done then 'closed' else 'open' end,
           case when done then 'done' else 'active' end,
           case kind
             when 'dispute' then jsonb_build_object('context', jsonb_build_object('decisions', jsonb_build_array(jsonb_build_object('outcome', (array['rejected', 'full_refund', 'partial_refund'])[1 + g % 3]))))
             when 'refund_request' then jsonb_build_object('context', jsonb_build_object('decision', jsonb_build_object('outcome', (array['rejected', 'full_refund'])[1 + g % 2])))
             else '{"context": {}}'::jsonb end,
           jsonb_build_object('reason', (array['not_received', 'not_as_described', 'duplicate', 'unauthorised'])[1 + g % 4]),
           1, 'normal', (array['hotline', 'chat', 'email', 'wechat', 'weibo', 'app'])[1 + (g / 7) % 6], 'Bench case ' || g, 'u_' || (g % 100000),
           case when kind in ('dispute', 'refund_request') then 'm_' || (g % 500) end, 10000, 'CNY',
           case when g % 10 = 0 then null else ('00000000-0000-4000-8000-' || lpad((1 + g % 50)::text, 12, '0'))::uuid end,
           case when kind = 'dispute' then 'disputes' else 'standard' end,
           opened, opened + interval '30 hours', case when done then opened + interval '30 hours' end
      from (select g, (array['dispute', 'dispute', 'dispute', 'dispute', 'refund_request', 'refund_request', 'payment_failure', 'balance_discrepancy', 'account_security', 'inquiry'])[1 + g % 10] as kind,
                   g % 20 < 17 as done, g % 13 = 0 as withdrawn,
                   timestamptz '${ANCHOR} 00:00:00+08' - (g % 365) * interval '1 day' - (g % 1440) * interval '1 minute' as opened
              from generate_series(1, ${cases}) g) s`);
  await run(`insert into sla_clocks (id, case_id, policy_id, target, minutes, mode, calendar_id, status, used_minutes, finished_minutes, finished_at, breached_at, created_at)
    select gen_random_uuid(), c.id, c.sla_policy_id, t.target, t.minutes, 'business', 'cn-default',
           case when f.used > t.minutes then 'breached' else 'met' end, least(f.used, t.minutes), f.used, c.created_at + f.used * interval '1 minute',
           case when f.used > t.minutes then c.created_at + t.minutes * interval '1 minute' end, c.created_at
      from cases c cross join (values ('firstResponse', 240), ('resolution', 2400)) t(target, minutes)
      cross join lateral (select (hashtext(c.id::text || t.target) & 1023) * t.minutes / 800.0 as used) f
     where c.status = 'done'`);
  // Timelines for volume only (no report reads them): their hash chain is a stand-in, not verifiable.
  await run(`insert into case_events (case_id, category, type, actor_kind, from_state, to_state, case_version, payload, created_at, hash)
    select c.id, 'machine', e.type, 'agent', null, c.state, e.v, '{}'::jsonb, c.created_at + e.v * interval '1 hour', md5(c.id::text || e.type)
      from cases c cross join (values ('OPEN', 1), ('CLOSE', 2)) e(type, v)`);
  await run(`insert into outbox (id, case_id, type, payload, status, created_at)
    select ('20000000-0000-4000-8000-' || substr(c.id::text, 25))::uuid, c.id, 'refund', '{}', 'done', c.closed_at from cases c where c.outcome in ('lost', 'approved')`);
  await run(`insert into refunds (id, case_id, outbox_id, attempt, amount_minor, currency, status, created_at)
    select gen_random_uuid(), c.id, ('20000000-0000-4000-8000-' || substr(c.id::text, 25))::uuid, 1, 10000, 'CNY', 'succeeded', c.closed_at from cases c where c.outcome in ('lost', 'approved')`);
  await run(`insert into case_ratings (case_id, customer_id, score, created_at)
    select c.id, c.customer_id, 1 + abs(hashtext(c.id::text || 'score')) % 5, c.closed_at from cases c where c.status = 'done' and abs(hashtext(c.id::text)) % 5 = 0`);
  // The triggers that keep the reports' rows are off for the bulk load: the same rows in one statement.
  await run(`insert into case_report_facts (case_id, created_at, closed_at, kind, channel, policy_id, assignee_id, merchant_id, outcome, dispute_reason,
        first_response_result, first_response_minutes, resolution_result, resolution_minutes, rating, livemode, refunded_minor, refund_currency)
      select c.id, c.created_at, c.closed_at, c.kind, c.channel, c.sla_policy_id, c.assignee_id, c.merchant_id, c.outcome, c.dispute_reason,
             fr.status, fr.finished_minutes, rs.status, rs.finished_minutes, r.score, c.livemode, rf.amount_minor, rf.currency
        from cases c
        left join sla_clocks fr on fr.case_id = c.id and fr.target = 'firstResponse'
        left join sla_clocks rs on rs.case_id = c.id and rs.target = 'resolution'
        left join case_ratings r on r.case_id = c.id
        left join refunds rf on rf.case_id = c.id and rf.status = 'succeeded'
       -- In production the rows arrive as cases open, so a range of days is a range of pages; so here too.
       order by c.created_at`);
  await run(`set session_replication_role = origin`);
  await run(`create table if not exists bench_reports_seed (cases integer not null)`);
  await run(`truncate bench_reports_seed`);
  await run(`insert into bench_reports_seed values (${cases})`);
  await run(`vacuum analyze`);
  return (performance.now() - started) / 1000;
}

export const reportsBenchmark: Benchmark = {
  name: 'reports',
  title: 'Reports over 1,000,000 cases (seeded once with SQL, reused across runs)',
  async run(): Promise<BenchmarkReport> {
    const { cases, rounds, reseed } = settings();
    const url = databaseUrlFor(benchServerUrl(), `dispute_bench_reports_${cases}`);
    await ensureDatabase(url);
    await migrateDatabase(url);
    const orm = await MikroORM.init(ormOptions(url, { debug: false, pool: { min: 1, max: 4 } }));
    const notes: string[] = [];
    const rows: ReportRow[] = [];
    const details: Record<string, unknown> = { cases, rounds };
    try {
      const connection = orm.em.getConnection();
      const [seeded] = await connection.execute<Array<{ cases: number }>>(`select cases from bench_reports_seed`).catch(() => []);
      if (reseed || seeded?.cases !== cases) {
        log(`reports bench: seeding ${cases} cases with SQL (kept for later runs)`);
        const seconds = await seed(orm, cases);
        rows.push({ metric: 'seeding (once; reused after)', value: round(seconds, 1), unit: 's' });
        details.seedSeconds = seconds;
      } else notes.push(`reused the seeded database dispute_bench_reports_${cases} (BENCH_REPORTS_RESEED=1 seeds it again)`);
      if (reseed || seeded?.cases !== cases || process.env.BENCH_REPORTS_REBUILD === '1') {
        // What an operator runs after a bulk load (npm run reports:rebuild): the per-day rollups from the facts.
        const started = performance.now();
        await rebuildReportRollups(orm.em.fork());
        const seconds = (performance.now() - started) / 1000;
        rows.push({ metric: 'rollup rebuild (after seeding; BENCH_REPORTS_REBUILD=1 again)', value: round(seconds, 1), unit: 's' });
        details.rebuildSeconds = seconds;
      }

      const lastDays = (days: number) => new Date(Date.parse(`${ANCHOR}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
      const scenarios: Array<{ label: string; filters: ReportFilters }> = [
        { label: 'last 90 days', filters: { from: lastDays(90), to: ANCHOR, timeZone: 'Asia/Shanghai', interval: 'day' } },
        { label: 'whole year, by week, channel wechat', filters: { from: lastDays(366), to: ANCHOR, timeZone: 'Asia/Shanghai', interval: 'week', channel: 'wechat' } },
        { label: 'whole year, by month, no filter', filters: { from: lastDays(366), to: ANCHOR, timeZone: 'Asia/Shanghai', interval: 'month' } },
        // An agent or a merchant filter reads case_report_facts through its index, not the rollups.
        {
          label: 'whole year, by week, one agent (facts)',
          filters: { from: lastDays(366), to: ANCHOR, timeZone: 'Asia/Shanghai', interval: 'week', agentId: '00000000-0000-4000-8000-000000000007' },
        },
        { label: 'whole year, by month, one merchant (facts)', filters: { from: lastDays(366), to: ANCHOR, timeZone: 'Asia/Shanghai', interval: 'month', merchantId: 'm_42' } },
      ];
      const timings: Record<string, unknown> = {};
      for (const scenario of scenarios) {
        for (const name of REPORT_NAMES as readonly ReportName[]) {
          const samples: number[] = [];
          for (let round_ = 0; round_ < rounds; round_ += 1) {
            const started = performance.now();
            await runReport(orm.em.fork(), name, scenario.filters);
            samples.push(performance.now() - started);
          }
          const summary = summarize(samples);
          timings[`${name} / ${scenario.label}`] = summary;
          rows.push({ metric: `${name}, ${scenario.label}: p95`, value: round(summary.p95, 0), unit: 'ms', digits: 0, target: { op: '<', threshold: 1000 } });
        }
      }
      details.timings = timings;
      notes.push('each report is its SQL through the use case code (runReport), measured in this process: HTTP and JSON add a few ms');
      return { rows, details, notes };
    } finally {
      await orm.close(true);
    }
  },
};
