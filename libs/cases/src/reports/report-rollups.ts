import type { ReportFilters, SqlPart } from './report-filters';

/**
 * The per-day rollups (migration ReportRollups): case_report_days, case_report_agent_days,
 * case_report_minute_days and case_report_dispute_days, keyed by (kind, channel, policy_id, day)
 * with '*' for "every value". They hold the live cases of each local day in ROLLUP_TIME_ZONE, so a
 * report uses them when it asks for that zone and filters on no agent or merchant (those pick few
 * cases: case_report_facts answers them through its own indexes).
 */
export const ROLLUP_TIME_ZONE = 'Asia/Shanghai';

export function usesRollups(filters: ReportFilters): boolean {
  return filters.timeZone === ROLLUP_TIME_ZONE && filters.agentId === undefined && filters.merchantId === undefined;
}

type Dimension = 'kind' | 'channel' | 'policy_id';

/**
 * The rows of one level that answer the filters: every fact is counted at five levels (all, per
 * kind, per channel, per policy, per all three). A report that filters or groups by none of the
 * dimensions reads the "all" rows, by one of them that dimension's rows, by more the detailed rows.
 */
export function rollupConditions(filters: ReportFilters, options: { kind?: string; groupBy?: Dimension[] } = {}): SqlPart {
  const values: Record<Dimension, string | undefined> = { kind: options.kind ?? filters.kind, channel: filters.channel, policy_id: filters.policyId };
  const dimensions: Dimension[] = ['kind', 'channel', 'policy_id'];
  const used = new Set<Dimension>([...dimensions.filter((d) => values[d] !== undefined), ...(options.groupBy ?? [])]);
  const where = ['r.day >= ?::date', 'r.day <= ?::date'];
  const params: unknown[] = [filters.from, filters.to];
  for (const dimension of dimensions) {
    const detailed = used.size > 1 || used.has(dimension);
    if (values[dimension] !== undefined) {
      where.push(`r.${dimension} = ?`);
      params.push(values[dimension]);
    } else where.push(detailed ? `r.${dimension} <> '*'` : `r.${dimension} = '*'`);
  }
  return { sql: where.join(' and '), params };
}

/** The period (day, week from Monday, month) a rollup day falls in, as YYYY-MM-DD. */
export function rollupPeriod(filters: ReportFilters): string {
  return `to_char(date_trunc('${filters.interval}', r.day::timestamp), 'YYYY-MM-DD')`;
}

/**
 * The response-time histograms' buckets: whole minutes (rounded, as the exact report) up to 20 are
 * their own bucket; bucket b > 20 holds (20·1.05^(b-21), 20·1.05^(b-20)] minutes. A percentile is
 * read as its bucket's geometric middle, so it is at most 2.5% from the exact figure.
 */
export const HISTOGRAM_RELATIVE_ERROR = 0.025;

export function bucketOf(minutes: number): number {
  const m = Math.round(minutes);
  return m <= 20 ? m : 20 + Math.ceil(Math.log(m / 20) / Math.log(1.05));
}

export function bucketMinutes(bucket: number): number {
  return bucket <= 20 ? bucket : Math.round(20 * 1.05 ** (bucket - 20.5) * 10) / 10;
}
