import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { caseListConditions, type ListCasesQuery } from '../use-cases/list-cases';
import { csvChunks, type CsvCell } from './csv';
import type { CsvExport } from './export-case-report';

/** Rows per query: each is one keyset step down cases_created_idx, so memory stays flat however many cases match. */
export const EXPORT_BATCH = 2000;

const HEADER = [
  'id',
  'kind',
  'state',
  'status',
  'priority',
  'channel',
  'subject',
  'customer_id',
  'customer_name',
  'merchant_id',
  'transaction_ref',
  'amount_minor',
  'currency',
  'assignee_email',
  'sla_policy_id',
  'escalated_at',
  'next_deadline_at',
  'created_at',
  'closed_at',
];

type ExportRow = Record<string, string | number | Date | null>;

const iso = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string).toISOString());

/**
 * The case list as CSV with the queue's filters, newest first: streamed in keyset batches (never
 * an OFFSET, never all rows at once). Contact details are not exported; they stay behind the
 * recorded reveal.
 */
@Injectable()
export class ExportCases {
  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute(query: Omit<ListCasesQuery, 'sort' | 'cursor' | 'limit'>): CsvExport {
    // Checked now, so that a bad filter is a 400 before the download starts.
    const conditions = caseListConditions(query);
    const connection = this.em.fork().getConnection();
    async function* batches(): AsyncGenerator<CsvCell[][]> {
      let after: [string, string] | null = null;
      for (;;) {
        const where = [...conditions.where];
        const params = [...conditions.params];
        if (after) {
          where.push('(c.created_at, c.id) < (?::timestamptz, ?::uuid)');
          params.push(...after);
        }
        const rows: ExportRow[] = await connection.execute(
          `select c.id, c.kind, c.state, c.status, c.priority, c.channel, c.subject, c.customer_id, c.customer_name, c.merchant_id, c.transaction_ref,
                  c.amount_minor, c.currency, a.email as assignee_email, c.sla_policy_id, c.escalated_at, c.next_deadline_at, c.created_at, c.closed_at, c.created_at::text as created_key
             from cases c left join agents a on a.id = c.assignee_id
            ${where.length ? `where ${where.join(' and ')}` : ''}
            order by c.created_at desc, c.id desc limit ${EXPORT_BATCH}`,
          params,
        );
        yield rows.map((row) => [
          row.id as string,
          row.kind as string,
          row.state as string,
          row.status as string,
          row.priority as string,
          row.channel as string,
          row.subject as string,
          row.customer_id as string,
          row.customer_name as string | null,
          row.merchant_id as string | null,
          row.transaction_ref as string | null,
          row.amount_minor === null ? null : Number(row.amount_minor),
          row.currency as string | null,
          row.assignee_email as string | null,
          row.sla_policy_id as string | null,
          iso(row.escalated_at),
          iso(row.next_deadline_at),
          iso(row.created_at),
          iso(row.closed_at),
        ]);
        if (rows.length < EXPORT_BATCH) return;
        const last = rows[rows.length - 1]!;
        // The exact stored instant (microseconds included), so the next batch starts right after it.
        after = [last.created_key as string, last.id as string];
      }
    }
    const stamp = this.clock.now().toISOString().slice(0, 10);
    return { filename: `cases-${stamp}.csv`, chunks: csvChunks(HEADER, batches()) };
  }
}
