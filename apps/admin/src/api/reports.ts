import { withQuery } from './client';

/** The reports the API serves at GET /v1/reports/:name (supervisors and admins). */
export const REPORT_NAMES = ['volume', 'response-times', 'sla-compliance', 'dispute-outcomes', 'refund-requests', 'ratings'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export interface ReportFilters {
  from?: string;
  to?: string;
  interval?: 'day' | 'week' | 'month';
  kind?: string;
  channel?: string;
  policyId?: string;
  agentId?: string;
  merchantId?: string;
}

export interface Compliance {
  met: number;
  breached: number;
  rate: number | null;
}
export interface Duration {
  count: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
}
export interface Money {
  currency: string;
  amountMinor: number;
}

export type ReportData =
  | { report: 'volume'; totals: { opened: number; closed: number }; periods: Array<{ period: string; opened: number; closed: number }> }
  | { report: 'response-times'; targets: Array<{ target: string } & Duration>; periods: Array<{ period: string; target: string } & Duration> }
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

export type Report = ReportData & { filters: Required<Pick<ReportFilters, 'from' | 'to' | 'interval'>> & ReportFilters & { timeZone: string }; generatedAt: string };

const query = (filters: ReportFilters) => ({ ...filters }) as Record<string, string | undefined>;

export const reportPath = (name: ReportName, filters: ReportFilters) => withQuery(`/v1/reports/${name}`, query(filters));
/** The CSV of a report: a plain link, so the browser streams the download to disk. */
export const reportCsvPath = (name: ReportName, filters: ReportFilters) => withQuery(`/v1/reports/${name}/csv`, query(filters));
