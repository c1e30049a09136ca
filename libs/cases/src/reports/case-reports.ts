import type { EntityManager } from '@mikro-orm/postgresql';
import type { CsvCell } from './csv';
import { caseConditions, periodOf, periodsOf, type ReportFilters, type SqlPart } from './report-filters';
import { bucketMinutes, rollupConditions, rollupPeriod, usesRollups } from './report-rollups';

export const REPORT_NAMES = ['volume', 'response-times', 'sla-compliance', 'dispute-outcomes', 'refund-requests', 'ratings'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export interface Compliance {
  met: number;
  breached: number;
  /** met / (met + breached); null when no clock finished. */
  rate: number | null;
}

export interface Duration {
  count: number;
  /** Minutes (to the minute) in the clock's mode: business minutes of the policy's calendar (a 24/7 calendar counts every minute). */
  medianMinutes: number | null;
  p90Minutes: number | null;
}

export interface Money {
  currency: string;
  amountMinor: number;
}

export type ReportData =
  | { report: 'volume'; totals: { opened: number; closed: number }; periods: Array<{ period: string; opened: number; closed: number }> }
  | {
      report: 'response-times';
      targets: Array<{ target: string } & Duration>;
      periods: Array<{ period: string; target: string } & Duration>;
    }
  | {
      report: 'sla-compliance';
      totals: Compliance;
      byPolicy: Array<{ policyId: string; name: string | null } & Compliance>;
      byAgent: Array<{ agentId: string | null; displayName: string | null } & Compliance>;
      byWeek: Array<{ week: string } & Compliance>;
    }
  | {
      report: 'dispute-outcomes';
      totals: { won: number; lost: number; withdrawn: number; refunded: Money[] };
      rows: Array<{ merchantId: string | null; reason: string | null; won: number; lost: number; withdrawn: number; refunded: Money[] }>;
    }
  | {
      report: 'refund-requests';
      totals: { approved: number; rejected: number; withdrawn: number; refunded: Money[] };
      periods: Array<{ period: string; approved: number; rejected: number; withdrawn: number }>;
    }
  | {
      report: 'ratings';
      totals: { count: number; average: number | null };
      distribution: Array<{ score: number; count: number }>;
      periods: Array<{ period: string; count: number; average: number | null }>;
    };

export type CaseReport = ReportData & { filters: ReportFilters; generatedAt: string };

type Row = Record<string, string | number | null>;
const num = (value: string | number | null | undefined) => (value === null || value === undefined ? 0 : Number(value));
const numOrNull = (value: string | number | null | undefined) => (value === null || value === undefined ? null : Number(value));
const round1 = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);
const compliance = (row: Row | undefined): Compliance => {
  const met = num(row?.met);
  const breached = num(row?.breached);
  return { met, breached, rate: met + breached ? met / (met + breached) : null };
};

const text = (sqlText: string): SqlPart => ({ sql: sqlText, params: [] });

function sql(strings: TemplateStringsArray, ...parts: SqlPart[]): SqlPart {
  return { sql: strings.reduce((text, piece, index) => text + (index ? parts[index - 1]!.sql : '') + piece, ''), params: parts.flatMap((part) => part.params) };
}

/**
 * The supervisors' reports, each one aggregate query (or two) in PostgreSQL. Without an agent or
 * merchant filter (and in the rollups' time zone) they read the per-day rollups, brought up to date
 * first (report-rollups.ts); otherwise case_report_facts, the narrow row per case that triggers
 * keep (dimensions, outcome, refunded amount, the SLA clocks' results and durations, the rating):
 * cases and clocks are never joined or loaded. Every report counts the live cases (test-mode ones
 * never) opened in the range; the `closed` series of `volume` counts the cases closed in it. The
 * rollups give the same counts; their percentiles are within 2.5% (HISTOGRAM_RELATIVE_ERROR).
 */
export async function runReport(em: EntityManager, name: ReportName, filters: ReportFilters, source: 'auto' | 'facts' = 'auto'): Promise<ReportData> {
  // 'facts' (tests, comparisons) reads the facts even where the rollups could answer.
  const fromRollups = source === 'auto' && usesRollups(filters);
  // Folds the facts written since the last report into the rollups (its own short transaction).
  if (fromRollups) await refreshReportRollups(em);
  return em.transactional(async (tx) => {
    const connection = tx.getConnection();
    const context: unknown = tx.getTransactionContext();
    // A report reads up to a million rows once: compiling it (JIT) costs more than it saves, and its
    // sorts (the percentiles) should stay in memory. Both only for this read-only transaction.
    await connection.execute(`set local jit = off`, [], 'run', context);
    await connection.execute(`set local work_mem = '128MB'`, [], 'run', context);
    // The transaction is one connection, and a pg connection runs one query at a time: the parts a
    // report asks for together (Promise.all) are sent one after the other, each when the last answered.
    let previous: Promise<unknown> = Promise.resolve();
    const run = (part: SqlPart) => {
      const answer = previous.then(() => connection.execute<Row[]>(part.sql, part.params, 'all', context));
      previous = answer.catch(() => undefined);
      return answer;
    };
    return queryReport(run, name, filters, fromRollups);
  });
}

/** Brings the rollups up to date with case_report_facts; returns how many facts it folded in. */
export async function refreshReportRollups(em: EntityManager): Promise<number> {
  const [row] = await em.getConnection().execute<Array<{ folded: number }>>(`select case_report_rollup_refresh() as folded`);
  return Number(row?.folded ?? 0);
}

/** Recomputes the rollups from case_report_facts (`npm run reports:rebuild`); returns how many facts it folded in. */
export async function rebuildReportRollups(em: EntityManager): Promise<number> {
  const [row] = await em.getConnection().execute<Array<{ folded: number }>>(`select case_report_rollup_rebuild() as folded`);
  return Number(row?.folded ?? 0);
}

async function queryReport(run: (part: SqlPart) => Promise<Row[]>, name: ReportName, filters: ReportFilters, fromRollups: boolean): Promise<ReportData> {
  const opened = caseConditions(filters);
  const days = (options?: Parameters<typeof rollupConditions>[1]) => rollupConditions(filters, options);
  const period = text(rollupPeriod(filters));
  switch (name) {
    case 'volume': {
      const [openedRows, closedRows] = fromRollups
        ? await run(sql`select ${period} as period, sum(r.opened) as opened, sum(r.closed) as closed from case_report_days r where ${days()} group by 1`).then((rows) => [
            rows.map((row) => ({ period: row.period, n: row.opened })),
            rows.map((row) => ({ period: row.period, n: row.closed })),
          ])
        : await Promise.all([
            run(sql`select ${periodOf(filters, 'f.created_at')} as period, count(*) as n from case_report_facts f where ${opened} group by 1`),
            run(sql`select ${periodOf(filters, 'f.closed_at')} as period, count(*) as n from case_report_facts f where ${caseConditions(filters, 'closed_at')} group by 1`),
          ]);
      const openedBy = new Map(openedRows.map((row) => [String(row.period), num(row.n)]));
      const closedBy = new Map(closedRows.map((row) => [String(row.period), num(row.n)]));
      const periods = periodsOf(filters).map((period) => ({ period, opened: openedBy.get(period) ?? 0, closed: closedBy.get(period) ?? 0 }));
      return {
        report: name,
        totals: { opened: periods.reduce((sum, p) => sum + p.opened, 0), closed: periods.reduce((sum, p) => sum + p.closed, 0) },
        periods,
      };
    }
    case 'response-times': {
      // Percentiles to the minute from a histogram: a hash aggregate over minute buckets and a running
      // sum over the (few thousand) buckets, instead of sorting a million durations per group.
      // The period is named in a subquery: parameters may not repeat between select list and GROUP BY.
      // From the rollups, m is a histogram bucket (a minute up to 20, then 5% wide) read back as minutes.
      const histogram = fromRollups
        ? sql`select r.target, ${period} as period, r.bucket as m, r.n from case_report_minute_days r where ${days()} and r.n <> 0`
        : sql`select ${periodOf(filters, 'f.created_at')} as period, t.target, round(t.minutes)::integer as m, 1 as n
                from case_report_facts f
                cross join lateral (values ('firstResponse', f.first_response_minutes), ('resolution', f.resolution_minutes)) t(target, minutes)
               where ${opened} and t.minutes is not null`;
      const rows = await run(sql`with h as (
          select target, period, grouping(period) as whole, m, sum(n) as n
            from (${histogram}) s
           group by grouping sets ((target, m), (target, period, m))
        ), c as (
          select target, period, whole, m, sum(n) over (partition by target, period, whole order by m) as cum, sum(n) over (partition by target, period, whole) as total from h
        )
        select target, period, whole, max(total) as n, min(m) filter (where cum >= 0.5 * total) as median, min(m) filter (where cum >= 0.9 * total) as p90
          from c group by target, period, whole`);
      const minutes = (value: number | null) => (value === null ? null : fromRollups ? bucketMinutes(value) : round1(value));
      const duration = (row: Row): Duration => ({ count: num(row.n), medianMinutes: minutes(numOrNull(row.median)), p90Minutes: minutes(numOrNull(row.p90)) });
      const targets = ['firstResponse', 'resolution'].map((target) => {
        const row = rows.find((r) => r.target === target && num(r.whole) === 1);
        return { target, ...(row ? duration(row) : { count: 0, medianMinutes: null, p90Minutes: null }) };
      });
      const periods = rows
        .filter((row) => num(row.whole) === 0)
        .map((row) => ({ period: String(row.period), target: String(row.target), ...duration(row) }))
        .sort((a, b) => a.period.localeCompare(b.period) || a.target.localeCompare(b.target));
      return { report: name, targets, periods };
    }
    case 'sla-compliance': {
      const week = periodOf({ ...filters, interval: 'week' }, 'f.created_at');
      const rollupWeek = text(rollupPeriod({ ...filters, interval: 'week' }));
      const rows = fromRollups
        ? (
            await Promise.all([
              run(sql`select grouping(policy_id) as gp, 1 as ga, grouping(week) as gw, nullif(policy_id, '') as policy_id, null as assignee_id, week, sum(met) as met, sum(breached) as breached
                from (select r.policy_id, ${rollupWeek} as week, r.met, r.breached from case_report_days r where ${days({ groupBy: ['policy_id'] })}) s
                group by grouping sets ((), (policy_id), (week)) having sum(met) + sum(breached) > 0 or grouping(policy_id) + grouping(week) = 2`),
              run(sql`select 1 as gp, 0 as ga, 1 as gw, null as policy_id, nullif(r.assignee_id, '') as assignee_id, null as week, sum(r.met) as met, sum(r.breached) as breached
                from case_report_agent_days r where ${days()} group by r.assignee_id having sum(r.met) + sum(r.breached) > 0`),
            ])
          ).flat()
        : await run(sql`select grouping(policy_id) as gp, grouping(assignee_id) as ga, grouping(week) as gw, policy_id, assignee_id, week,
          count(*) filter (where result = 'met') as met, count(*) filter (where result = 'breached') as breached
        from (select f.policy_id, f.assignee_id, ${week} as week, t.result
                from case_report_facts f
                cross join lateral (values (f.first_response_result), (f.resolution_result)) t(result)
               where ${opened} and t.result is not null) s
        group by grouping sets ((), (policy_id), (assignee_id), (week))`);
      const set = (gp: number, ga: number, gw: number) => rows.filter((row) => num(row.gp) === gp && num(row.ga) === ga && num(row.gw) === gw);
      const policyIds = set(0, 1, 1).map((row) => String(row.policy_id));
      const agentIds = set(1, 0, 1).flatMap((row) => (row.assignee_id ? [String(row.assignee_id)] : []));
      const [policies, agents] = await Promise.all([
        policyIds.length ? run({ sql: `select id, name from sla_policies where id in (${policyIds.map(() => '?').join(', ')})`, params: policyIds }) : [],
        agentIds.length ? run({ sql: `select id, display_name as name from agents where id in (${agentIds.map(() => '?').join(', ')})`, params: agentIds }) : [],
      ]);
      const nameOf = (list: Row[], id: unknown) => (list.find((row) => row.id === id)?.name as string | undefined) ?? null;
      return {
        report: name,
        totals: compliance(set(1, 1, 1)[0]),
        byPolicy: set(0, 1, 1)
          .map((row) => ({ policyId: String(row.policy_id), name: nameOf(policies, row.policy_id), ...compliance(row) }))
          .sort((a, b) => a.policyId.localeCompare(b.policyId)),
        byAgent: set(1, 0, 1)
          .map((row) => ({ agentId: (row.assignee_id as string | null) ?? null, displayName: nameOf(agents, row.assignee_id), ...compliance(row) }))
          .sort((a, b) => (a.displayName ?? '').localeCompare(b.displayName ?? '')),
        byWeek: set(1, 1, 0)
          .map((row) => ({ week: String(row.week), ...compliance(row) }))
          .sort((a, b) => a.week.localeCompare(b.week)),
      };
    }
    case 'dispute-outcomes': {
      const key = (row: Row) => `${row.merchant_id ?? ''}\u0000${row.dispute_reason ?? ''}`;
      const disputes = fromRollups
        ? sql`select nullif(r.merchant_id, '') as merchant_id, nullif(r.reason, '') as dispute_reason, nullif(r.refund_currency, '') as currency,
              r.won, r.lost, r.withdrawn, r.refunded_minor from case_report_dispute_days r where ${days({ kind: 'dispute' })} and ${text(filters.kind === undefined || filters.kind === 'dispute' ? 'true' : 'false')}`
        : sql`select f.merchant_id, f.dispute_reason, f.refund_currency as currency, (f.outcome = 'won')::integer as won, (f.outcome = 'lost')::integer as lost,
              (f.outcome = 'withdrawn')::integer as withdrawn, f.refunded_minor from case_report_facts f where ${opened} and f.kind = 'dispute' and f.outcome is not null`;
      const all = await run(sql`select merchant_id, dispute_reason, currency, sum(won) as won, sum(lost) as lost, sum(withdrawn) as withdrawn, sum(refunded_minor) as amount
          from (${disputes}) s group by 1, 2, 3 having sum(won) + sum(lost) + sum(withdrawn) <> 0 or sum(refunded_minor) <> 0`);
      const byKey = new Map<string, Row>();
      for (const row of all) {
        const sum = byKey.get(key(row)) ?? { merchant_id: row.merchant_id ?? null, dispute_reason: row.dispute_reason ?? null, won: 0, lost: 0, withdrawn: 0 };
        for (const column of ['won', 'lost', 'withdrawn']) sum[column] = num(sum[column]) + num(row[column]);
        byKey.set(key(row), sum);
      }
      const counts = [...byKey.values()].filter((row) => num(row.won) + num(row.lost) + num(row.withdrawn) > 0);
      const refunds = all.filter((row) => row.currency !== null && num(row.amount) !== 0).sort((a, b) => String(a.currency).localeCompare(String(b.currency)));
      const refundedBy = new Map<string, Money[]>();
      for (const row of refunds) refundedBy.set(key(row), [...(refundedBy.get(key(row)) ?? []), { currency: String(row.currency), amountMinor: num(row.amount) }]);
      const rows = counts
        .map((row) => ({
          merchantId: (row.merchant_id as string | null) ?? null,
          reason: (row.dispute_reason as string | null) ?? null,
          won: num(row.won),
          lost: num(row.lost),
          withdrawn: num(row.withdrawn),
          refunded: refundedBy.get(key(row)) ?? [],
        }))
        .sort((a, b) => (a.merchantId ?? '\uffff').localeCompare(b.merchantId ?? '\uffff') || (a.reason ?? '').localeCompare(b.reason ?? ''));
      return {
        report: name,
        totals: {
          won: rows.reduce((sum, row) => sum + row.won, 0),
          lost: rows.reduce((sum, row) => sum + row.lost, 0),
          withdrawn: rows.reduce((sum, row) => sum + row.withdrawn, 0),
          refunded: sumMoney(rows.flatMap((row) => row.refunded)),
        },
        rows,
      };
    }
    case 'refund-requests': {
      const requests = days({ kind: 'refund_request' });
      const other = text(filters.kind !== undefined && filters.kind !== 'refund_request' ? 'false' : 'true');
      const [counts, refunds] = fromRollups
        ? await Promise.all([
            run(sql`select ${period} as period, sum(r.approved) as approved, sum(r.rejected) as rejected, sum(r.withdrawn) as withdrawn
              from case_report_days r where ${requests} and ${other} group by 1`),
            run(sql`select r.refund_currency as currency, sum(r.refunded_minor) as amount from case_report_days r
              where ${requests} and ${other} and r.refund_currency <> '' group by 1 having sum(r.refunded_minor) <> 0 order by 1`),
          ])
        : await Promise.all([
            run(sql`select ${periodOf(filters, 'f.created_at')} as period, count(*) filter (where f.outcome = 'approved') as approved,
                count(*) filter (where f.outcome = 'rejected') as rejected, count(*) filter (where f.outcome = 'withdrawn') as withdrawn
              from case_report_facts f where ${opened} and f.kind = 'refund_request' and f.outcome is not null group by 1`),
            run(sql`select f.refund_currency as currency, sum(f.refunded_minor) as amount from case_report_facts f
              where ${opened} and f.kind = 'refund_request' and f.outcome is not null and f.refunded_minor is not null group by 1 order by 1`),
          ]);
      const byPeriod = new Map(counts.map((row) => [String(row.period), row]));
      const periods = periodsOf(filters).map((p) => {
        const row = byPeriod.get(p);
        return { period: p, approved: num(row?.approved), rejected: num(row?.rejected), withdrawn: num(row?.withdrawn) };
      });
      return {
        report: name,
        totals: {
          approved: periods.reduce((sum, p) => sum + p.approved, 0),
          rejected: periods.reduce((sum, p) => sum + p.rejected, 0),
          withdrawn: periods.reduce((sum, p) => sum + p.withdrawn, 0),
          refunded: refunds.map((row) => ({ currency: String(row.currency), amountMinor: num(row.amount) })),
        },
        periods,
      };
    }
    case 'ratings': {
      const rated = fromRollups
        ? sql`select t.score, ${period} as period, t.n from case_report_days r
                cross join lateral (values (1, r.rated_1), (2, r.rated_2), (3, r.rated_3), (4, r.rated_4), (5, r.rated_5)) t(score, n)
               where ${days()} and t.n <> 0`
        : sql`select f.rating as score, ${periodOf(filters, 'f.created_at')} as period, 1 as n from case_report_facts f where ${opened} and f.rating is not null`;
      const rows = await run(sql`select score, period, grouping(score) as gs, grouping(period) as gp, sum(n) as n, sum(score * n)::numeric / nullif(sum(n), 0) as average
        from (${rated}) s
        group by grouping sets ((), (score), (period))`);
      const total = rows.find((row) => num(row.gs) === 1 && num(row.gp) === 1);
      const byScore = new Map(rows.filter((row) => num(row.gs) === 0).map((row) => [num(row.score), num(row.n)]));
      const byPeriod = new Map(rows.filter((row) => num(row.gp) === 0).map((row) => [String(row.period), row]));
      return {
        report: name,
        totals: { count: num(total?.n), average: round2(numOrNull(total?.average)) },
        distribution: [1, 2, 3, 4, 5].map((score) => ({ score, count: byScore.get(score) ?? 0 })),
        periods: periodsOf(filters).map((p) => {
          const row = byPeriod.get(p);
          return { period: p, count: num(row?.n), average: round2(numOrNull(row?.average)) };
        }),
      };
    }
  }
}

const round2 = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);

function sumMoney(items: Money[]): Money[] {
  const byCurrency = new Map<string, number>();
  for (const item of items) byCurrency.set(item.currency, (byCurrency.get(item.currency) ?? 0) + item.amountMinor);
  return [...byCurrency.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amountMinor]) => ({ currency, amountMinor }));
}

const moneyText = (items: Money[]) => items.map((item) => `${item.currency} ${item.amountMinor}`).join('; ');
const rate = (value: number | null) => (value === null ? null : Math.round(value * 10_000) / 100);

/** A report as a table (header and rows) for its CSV export: what the page shows, one line per row. */
export function reportTable(report: ReportData): { header: string[]; rows: CsvCell[][] } {
  switch (report.report) {
    case 'volume':
      return { header: ['period', 'opened', 'closed'], rows: report.periods.map((p) => [p.period, p.opened, p.closed]) };
    case 'response-times':
      return {
        header: ['period', 'target', 'count', 'median_minutes', 'p90_minutes'],
        rows: [
          ...report.targets.map((t) => ['all', t.target, t.count, t.medianMinutes, t.p90Minutes]),
          ...report.periods.map((p) => [p.period, p.target, p.count, p.medianMinutes, p.p90Minutes]),
        ],
      };
    case 'sla-compliance':
      return {
        header: ['dimension', 'key', 'name', 'met', 'breached', 'compliance_percent'],
        rows: [
          ['all', '', '', report.totals.met, report.totals.breached, rate(report.totals.rate)],
          ...report.byPolicy.map((r) => ['policy', r.policyId, r.name, r.met, r.breached, rate(r.rate)]),
          ...report.byAgent.map((r) => ['agent', r.agentId ?? 'unassigned', r.displayName, r.met, r.breached, rate(r.rate)]),
          ...report.byWeek.map((r) => ['week', r.week, '', r.met, r.breached, rate(r.rate)]),
        ],
      };
    case 'dispute-outcomes':
      return {
        header: ['merchant_id', 'reason', 'won', 'lost', 'withdrawn', 'refunded_minor'],
        rows: report.rows.map((r) => [r.merchantId, r.reason, r.won, r.lost, r.withdrawn, moneyText(r.refunded)]),
      };
    case 'refund-requests':
      return { header: ['period', 'approved', 'rejected', 'withdrawn'], rows: report.periods.map((p) => [p.period, p.approved, p.rejected, p.withdrawn]) };
    case 'ratings':
      return {
        header: ['period', 'ratings', 'average_score'],
        rows: report.periods.map((p) => [p.period, p.count, p.average]),
      };
  }
}
