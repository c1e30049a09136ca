import { CASE_SQL, caseFromRow, DEADLINE_SELECT_LIST, deadlineFromRow, type CaseRow, type DeadlineRow } from '@app/cases';
import { timestampOrNull, type CaseEntity, type CaseRatingEntity, type DeadlineEntity, type RawTimestamp, type SlaClockEntity, type SqlTransactions } from '@app/db';
import { CASE_CLOCKS_SQL, clocksFromRows } from '@app/sla';

/** The case row, only if it is this customer's (CASE_SQL ends with its `where`). Two parameters: the case id, the customer id. */
const CUSTOMER_CASE_SQL = `${CASE_SQL} and customer_id = ?`;
/** What the customer's view shows of the deadlines: the machine's pending ones (windows, appeal). */
const PENDING_MACHINE_DEADLINES_SQL = `select ${DEADLINE_SELECT_LIST} from deadlines d where d.case_id = ? and d.status = 'pending' and d.kind = 'machine'`;
const RATING_SQL = 'select score, comment, created_at from case_ratings where case_id = ?';
/** The wallet's expected arrival of the newest refund on its way. */
const REFUND_EXPECTED_SQL = `select expected_arrival_at from refunds where case_id = ? and status = 'processing' order by created_at desc, id desc limit 1`;
/** The categories of the customer's evidence files (handed in by them, or by an agent for them). */
const CUSTOMER_EVIDENCE_SQL = `select distinct category from evidence_files where party = 'customer' and case_id = ?`;

/** One of a customer's cases with everything its view reads. */
export interface CustomerCaseRows {
  entity: CaseEntity;
  deadlines: DeadlineEntity[];
  clocks: SlaClockEntity[];
  rating: Pick<CaseRatingEntity, 'score' | 'comment' | 'createdAt'> | null;
  refundExpectedBy: Date | null;
  customerEvidence: string[];
}

/**
 * One of the customer's cases and what its view shows, at one snapshot (a commit landing between two
 * reads would show half of it), in one round trip on a pooled connection, kept prepared: the case
 * row as the command path reads it (plain objects, libs/cases' case-rows), only if it is this
 * customer's, then its pending machine deadlines, SLA clocks, rating, the refund on its way and the
 * customer's evidence. The wallet app asks for a case after every customer command and while the
 * customer looks at it: through the ORM this was eight round trips (begin, six reads, commit) and
 * the unit of work's hydration. Null when there is no such case of this customer's.
 */
export async function readCustomerCase(transactions: SqlTransactions, customerId: string, caseId: string): Promise<CustomerCaseRows | null> {
  const byCase = (sql: string) => ({ sql, params: [caseId], prepared: true });
  const [caseRows, deadlineRows, clockRows, ratingRows, refundRows, evidenceRows] = (await transactions.readAtOneSnapshot([
    { sql: CUSTOMER_CASE_SQL, params: [caseId, customerId], prepared: true },
    ...[PENDING_MACHINE_DEADLINES_SQL, CASE_CLOCKS_SQL, RATING_SQL, REFUND_EXPECTED_SQL, CUSTOMER_EVIDENCE_SQL].map(byCase),
  ])) as [CaseRow[], DeadlineRow[], object[], RatingRow[], RefundRow[], EvidenceRow[]];
  const [caseRow] = caseRows;
  if (!caseRow) return null;
  const [rating] = ratingRows;
  return {
    entity: caseFromRow(caseRow),
    deadlines: deadlineRows.map(deadlineFromRow),
    clocks: clocksFromRows(clockRows),
    rating: rating ? { score: rating.score, comment: rating.comment, createdAt: new Date(rating.created_at) } : null,
    refundExpectedBy: timestampOrNull(refundRows[0]?.expected_arrival_at ?? null),
    customerEvidence: evidenceRows.map((row) => row.category),
  };
}

interface RatingRow {
  score: number;
  comment: string | null;
  created_at: RawTimestamp;
}

interface RefundRow {
  expected_arrival_at: RawTimestamp | null;
}

interface EvidenceRow {
  category: string;
}
