import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { DomainError, DomainErrorCode } from '@app/domain';
import { REPORT_NAMES, runReport, type CaseReport, type ReportName } from './case-reports';
import { resolveReportFilters, type ReportFilterInput } from './report-filters';

export function reportNameOf(name: string): ReportName {
  if (!(REPORT_NAMES as readonly string[]).includes(name)) throw new DomainError(DomainErrorCode.NotFound, `No report "${name}"; the reports are ${REPORT_NAMES.join(', ')}.`);
  return name as ReportName;
}

/** One supervisor report over the cases opened in a date range, with its filters as they were applied. */
@Injectable()
export class GetCaseReport {
  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(name: string, input: ReportFilterInput): Promise<CaseReport> {
    const report = reportNameOf(name);
    const now = this.clock.now();
    const em = this.em.fork();
    const filters = await resolveReportFilters(em, input, now);
    return { ...(await runReport(em, report, filters)), filters, generatedAt: now.toISOString() };
  }
}
