import { withQuery } from './client';
import type { components } from './generated/schema';

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

type Schemas = components['schemas'];

export type Compliance = Schemas['ComplianceDto'];
export type Duration = Omit<Schemas['TargetDurationDto'], 'target'>;
export type Money = Schemas['ReportMoneyDto'];

/** GET /v1/reports/:name: one of the reports (`report` tells which), with the filters applied and when it was made. */
export type Report =
  | Schemas['VolumeReportDto']
  | Schemas['ResponseTimesReportDto']
  | Schemas['SlaComplianceReportDto']
  | Schemas['DisputeOutcomesReportDto']
  | Schemas['RefundRequestsReportDto']
  | Schemas['RatingsReportDto'];
export type ReportData = Report;

const query = (filters: ReportFilters) => ({ ...filters }) as Record<string, string | undefined>;

export const reportPath = (name: ReportName, filters: ReportFilters) => withQuery(`/v1/reports/${name}`, query(filters));
/** The CSV of a report: a plain link, so the browser streams the download to disk. */
export const reportCsvPath = (name: ReportName, filters: ReportFilters) => withQuery(`/v1/reports/${name}/csv`, query(filters));
