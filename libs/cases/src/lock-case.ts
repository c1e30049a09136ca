import type { EntityManager } from '@mikro-orm/postgresql';
import { CaseEntity, DeadlineEntity } from '@app/db';

/** The case row, locked. One parameter: the case id. Exported so the benchmark's pgbench side issues the very same. */
export const LOCK_CASE_SQL = `select * from cases where id = ? for update`;

/**
 * The case's live deadlines (pending ones, and SLA alarms that fired: the case view lists the
 * reminders sent), locked. One parameter: the case id. Exported for pgbench too.
 */
export const LOCK_LIVE_DEADLINES_SQL = `select * from deadlines d where d.case_id = ? and (d.status = 'pending' or (d.kind = 'sla' and d.status = 'fired')) for update`;

export interface LockedCase {
  entity: CaseEntity;
  /** The case's live deadlines, locked too. */
  live: DeadlineEntity[];
}

/**
 * A command's read: the case row, then its live deadlines, both locked in that order (the order
 * every command and deadline firing keeps), mapped into the transaction's unit of work without the
 * query builder. Two statements on purpose: under READ COMMITTED the second one starts after the
 * case lock is ours, so it sees the deadlines the previous holder of that lock committed; one
 * statement with a sub-select would read them as they were before it waited, and would lock them
 * before the case row. Null when there is no such case.
 */
export async function lockCaseWithLiveDeadlines(em: EntityManager, caseId: string): Promise<LockedCase | null> {
  const connection = em.getConnection();
  const [caseRow] = await connection.execute<Array<Record<string, unknown>>>(LOCK_CASE_SQL, [caseId], 'all', em.getTransactionContext());
  if (!caseRow) return null;
  const deadlines = await connection.execute<Array<Record<string, unknown>>>(LOCK_LIVE_DEADLINES_SQL, [caseId], 'all', em.getTransactionContext());
  return { entity: em.map(CaseEntity, caseRow), live: deadlines.map((row) => em.map(DeadlineEntity, row)) };
}
