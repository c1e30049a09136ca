import type { EntityManager } from '@mikro-orm/postgresql';
import { CaseEntity, DeadlineEntity } from '@app/db';

/** Live deadlines: pending ones, and SLA alarms that fired (the case view lists the reminders sent). */
const LIVE = `d.status = 'pending' or (d.kind = 'sla' and d.status = 'fired')`;

export interface LockedCase {
  entity: CaseEntity;
  /** The case's live deadlines, locked too. */
  live: DeadlineEntity[];
}

/** The statement (one parameter: the case id); exported so the benchmark's pgbench side issues the very same. */
export const LOCK_CASE_WITH_LIVE_DEADLINES_SQL = `select c.*, coalesce((select json_agg(d) from (select * from deadlines d where d.case_id = c.id and (${LIVE}) for update) d), '[]'::json) as live_deadlines
  from cases c where c.id = ? for update of c`;

/**
 * A command's read, in one round trip: the case row and then its live deadlines, both locked
 * (FOR UPDATE, in that order, the order every command and deadline firing keeps), mapped into the
 * transaction's unit of work as if found one by one. Null when there is no such case.
 */
export async function lockCaseWithLiveDeadlines(em: EntityManager, caseId: string): Promise<LockedCase | null> {
  const [row] = await em.getConnection().execute<Array<Record<string, unknown> & { live_deadlines: Array<Record<string, unknown>> }>>(
    LOCK_CASE_WITH_LIVE_DEADLINES_SQL,
    [caseId],
    'all',
    em.getTransactionContext(),
  );
  if (!row) return null;
  const { live_deadlines: live, ...caseRow } = row;
  return { entity: em.map(CaseEntity, caseRow), live: live.map((deadline) => em.map(DeadlineEntity, deadline)) };
}
