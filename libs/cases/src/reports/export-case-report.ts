import { Injectable } from '@nestjs/common';
import { reportTable } from './case-reports';
import { csvChunks } from './csv';
import { GetCaseReport } from './get-case-report';
import type { ReportFilterInput } from './report-filters';

export interface CsvExport {
  filename: string;
  /** The document in chunks (BOM and header first); nothing is read before the caller pulls. */
  chunks: AsyncIterable<string>;
}

/** A report as CSV: the same rows the page shows. The report runs first, so bad filters fail before any byte is sent. */
@Injectable()
export class ExportCaseReport {
  constructor(private readonly getReport: GetCaseReport) {}

  async execute(name: string, input: ReportFilterInput): Promise<CsvExport> {
    const report = await this.getReport.execute(name, input);
    const { header, rows } = reportTable(report);
    return { filename: `${report.report}-${report.filters.from}-${report.filters.to}.csv`, chunks: csvChunks(header, [rows]) };
  }
}
