import type { EntityManager } from '@mikro-orm/postgresql';
import { CASE_KINDS, CHANNELS, DomainError, DomainErrorCode, type CaseKind, type Channel } from '@app/domain';
import { isUuid } from '../errors';

export const REPORT_INTERVALS = ['day', 'week', 'month'] as const;
export type ReportInterval = (typeof REPORT_INTERVALS)[number];

/** The longest range one report covers: a year (a leap one included). */
export const MAX_REPORT_DAYS = 366;
/** Without a range a report covers the last 30 days, today included. */
export const DEFAULT_REPORT_DAYS = 30;
export const DEFAULT_REPORT_TIME_ZONE = 'Asia/Shanghai';

export interface ReportFilterInput {
  /** First day, YYYY-MM-DD in `timeZone`. */
  from?: string;
  /** Last day (included), YYYY-MM-DD in `timeZone`. */
  to?: string;
  timeZone?: string;
  interval?: ReportInterval;
  kind?: CaseKind;
  channel?: Channel;
  policyId?: string;
  agentId?: string;
  merchantId?: string;
}

export interface ReportFilters {
  from: string;
  to: string;
  timeZone: string;
  interval: ReportInterval;
  kind?: CaseKind;
  channel?: Channel;
  policyId?: string;
  agentId?: string;
  merchantId?: string;
}

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function invalid(path: string, message: string, detail: string): DomainError {
  return new DomainError(DomainErrorCode.ValidationFailed, detail, { fields: [{ path, message }] });
}

function dayNumber(path: string, value: string): number {
  const ms = DATE.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) throw invalid(path, 'a date YYYY-MM-DD', `${path} must be a calendar date such as 2026-12-01.`);
  return ms / DAY_MS;
}

const dayString = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Today as a YYYY-MM-DD date in the time zone. */
function todayIn(timeZone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/**
 * Checks a report's filters: a real date range of at most MAX_REPORT_DAYS with `from` not after
 * `to`, a known time zone, and a policy, agent and merchant that exist. An unknown value is a 400
 * naming the field, rather than an empty report that looks like "nothing happened".
 */
export async function resolveReportFilters(em: EntityManager, input: ReportFilterInput, now: Date): Promise<ReportFilters> {
  const timeZone = input.timeZone ?? DEFAULT_REPORT_TIME_ZONE;
  if (!isTimeZone(timeZone)) throw invalid('timeZone', 'an IANA time zone', `Unknown time zone "${timeZone}"; use a name such as Asia/Shanghai.`);
  const to = input.to ?? (input.from ? undefined : todayIn(timeZone, now));
  const toDay = to !== undefined ? dayNumber('to', to) : dayNumber('from', input.from!) + DEFAULT_REPORT_DAYS - 1;
  const fromDay = input.from !== undefined ? dayNumber('from', input.from) : toDay - DEFAULT_REPORT_DAYS + 1;
  if (fromDay > toDay) throw invalid('to', 'not before from', `The range ends (${dayString(toDay)}) before it starts (${dayString(fromDay)}).`);
  if (toDay - fromDay + 1 > MAX_REPORT_DAYS) throw invalid('from', `at most ${MAX_REPORT_DAYS} days before to`, `A report covers at most ${MAX_REPORT_DAYS} days.`);
  if (input.kind !== undefined && !(CASE_KINDS as readonly string[]).includes(input.kind))
    throw invalid('kind', `one of ${CASE_KINDS.join(', ')}`, `Unknown case kind "${input.kind}".`);
  if (input.channel !== undefined && !(CHANNELS as readonly string[]).includes(input.channel))
    throw invalid('channel', `one of ${CHANNELS.join(', ')}`, `Unknown channel "${input.channel}".`);

  const connection = em.getConnection();
  const exists = async (sql: string, ...values: string[]) => (await connection.execute<unknown[]>(sql, values)).length > 0;
  if (input.policyId !== undefined && !(await exists('select 1 from sla_policies where id = ?', input.policyId)))
    throw invalid('policyId', 'an SLA policy id', `No SLA policy "${input.policyId}".`);
  if (input.agentId !== undefined && !(isUuid(input.agentId) && (await exists('select 1 from agents where id = ?', input.agentId))))
    throw invalid('agentId', 'an agent id', `No agent "${input.agentId}".`);
  // Cases may name a merchant that has no API account (opened by an agent): either one makes it known.
  if (
    input.merchantId !== undefined &&
    !(await exists('select 1 from merchants where id = ? union all select 1 from (select 1 from cases where merchant_id = ? limit 1) c', input.merchantId, input.merchantId))
  ) {
    throw invalid('merchantId', 'a merchant id', `No merchant "${input.merchantId}".`);
  }
  return {
    from: dayString(fromDay),
    to: dayString(toDay),
    timeZone,
    interval: input.interval ?? 'day',
    ...(input.kind !== undefined && { kind: input.kind }),
    ...(input.channel !== undefined && { channel: input.channel }),
    ...(input.policyId !== undefined && { policyId: input.policyId }),
    ...(input.agentId !== undefined && { agentId: input.agentId }),
    ...(input.merchantId !== undefined && { merchantId: input.merchantId }),
  };
}

export interface SqlPart {
  sql: string;
  params: unknown[];
}

/**
 * The conditions on `case_report_facts f` that every report shares: live cases, `column`
 * (created_at, or closed_at for the closed series) within the range's local days, and the filters given.
 */
export function caseConditions(filters: ReportFilters, column: 'created_at' | 'closed_at' = 'created_at'): SqlPart {
  const where = [`f.${column} >= ((?::date)::timestamp at time zone ?)`, `f.${column} < (((?::date) + 1)::timestamp at time zone ?)`];
  const params: unknown[] = [filters.from, filters.timeZone, filters.to, filters.timeZone];
  // Test-mode cases are never real work: no report counts them.
  where.push('f.livemode');
  const add = (sql: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(sql);
    params.push(value);
  };
  add('f.kind = ?', filters.kind);
  add('f.channel = ?', filters.channel);
  add('f.policy_id = ?', filters.policyId);
  add('f.assignee_id = ?', filters.agentId);
  add('f.merchant_id = ?', filters.merchantId);
  return { sql: where.join(' and '), params };
}

/** The period (day, week from Monday, month) an instant falls in, in the report's time zone, as YYYY-MM-DD. */
export function periodOf(filters: ReportFilters, column: string): SqlPart {
  return { sql: `to_char(date_trunc('${filters.interval}', ${column} at time zone ?), 'YYYY-MM-DD')`, params: [filters.timeZone] };
}

/** Every period of the range, so that a chart shows the quiet days as zero instead of skipping them. */
export function periodsOf(filters: ReportFilters): string[] {
  const periods: string[] = [];
  const start = new Date(`${filters.from}T00:00:00Z`);
  if (filters.interval === 'week') start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  if (filters.interval === 'month') start.setUTCDate(1);
  const end = Date.parse(`${filters.to}T00:00:00Z`);
  for (const at = start; at.getTime() <= end;) {
    periods.push(at.toISOString().slice(0, 10));
    if (filters.interval === 'day') at.setUTCDate(at.getUTCDate() + 1);
    else if (filters.interval === 'week') at.setUTCDate(at.getUTCDate() + 7);
    else at.setUTCMonth(at.getUTCMonth() + 1);
  }
  return periods;
}
