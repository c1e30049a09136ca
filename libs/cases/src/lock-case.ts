import type { CaseEntity, DeadlineEntity, SlaClockEntity, SqlSession } from '@app/db';
import { CASE_CLOCKS_SQL, clocksFromRows } from '@app/sla';
import { CASE_SQL, caseFromRow, DEADLINE_SELECT_LIST, deadlineFromRow, LIVE_DEADLINES_SQL, type CaseRow, type DeadlineRow } from './case-rows';

/** The case row, locked. One parameter: the case id. Exported so the benchmark's pgbench side issues the very same. */
export const LOCK_CASE_SQL = `${CASE_SQL} for update`;

/** The case's live deadlines (case-rows.ts), locked. One parameter: the case id. Exported for pgbench too. */
export const LOCK_LIVE_DEADLINES_SQL = `${LIVE_DEADLINES_SQL} for update`;

/** The case's failed deadlines (BullMQ gave up on their jobs), locked, as the live ones are read. */
const LOCK_FAILED_DEADLINES_SQL = `select ${DEADLINE_SELECT_LIST} from deadlines d where d.case_id = ? and d.status = 'failed' for update`;

/** The columns of a live deadline that a command may change, as they were read. */
export interface LoadedDeadlineState {
  status: DeadlineEntity['status'];
  settledAt: Date | null;
}

/** The case's columns as they were read, so that the command writes back only what it changed. */
export type LoadedCaseState = Readonly<Pick<CaseEntity, CaseWritableField>>;

/**
 * What a command may change on the case row besides its snapshot, version and updated_at (the
 * assignee is AssignCase's, which goes through the unit of work).
 */
export type CaseWritableField = 'state' | 'status' | 'priority' | 'slaPolicyId' | 'escalatedAt' | 'nextDeadlineAt';

export interface LockedCase {
  /**
   * The case, as a plain object outside MikroORM's unit of work: the command writes it back
   * itself (case-writes.ts), so the flush at the end of the transaction must not see it.
   */
  entity: CaseEntity;
  /** The case's live deadlines, locked too; plain objects as well, written back the same way. */
  live: DeadlineEntity[];
  /**
   * The case's SLA clocks (none without a policy), read after the case lock, which guards them:
   * plain objects too, changed by the SLA tracker and written back by the command's writer.
   */
  clocks: SlaClockEntity[];
  /** The row as read: what the command compares with to know what it changed. */
  loaded: { case: LoadedCaseState; deadlines: ReadonlyMap<string, LoadedDeadlineState> };
}

/**
 * A command's read: the case row, then its live deadlines, both locked in that order (the order
 * every command and deadline firing keeps), then its SLA clocks. Separate statements on purpose:
 * under READ COMMITTED each later one starts after the case lock is ours, so it sees what the
 * previous holder of that lock committed; one statement with sub-selects would read them as they
 * were before it waited, and would lock the deadlines before the case row. They go out together in
 * one round trip on the command path's pooled connection (a batch: each still starts only once
 * the one before it is done; inside an `em.transactional`, sqlSessionOf sends them one by one),
 * kept prepared: PostgreSQL spent more time planning them than running them.
 * The clocks are read for every case (the shipped `standard` policy matches every case; one
 * without a policy pays an index lookup that finds nothing): the SLA tracker plans with them, and
 * an alarm that fires finds its clock among them, without a read of their own.
 * Null when there is no such case.
 *
 * The rows become plain entity objects, not managed ones: on the path every event takes, the
 * unit of work's change tracking cost more CPU than the SQL it sent (see case-writes.ts). So
 * nothing on a command's path may change a managed copy of the same case row: its flush would
 * either fail on the version the command already bumped or bump it a second time. Nothing does:
 * the SLA tracker works on the clocks read here and changes this very object on a breach, and
 * the command's writer (case-writes.ts) writes all of it.
 */
export async function lockCaseWithLiveDeadlines(sql: SqlSession, caseId: string): Promise<LockedCase | null> {
  // One round trip, with the transaction's `begin` on the pooled path.
  const [caseRows, deadlineRows, clockRows] = (await sql.batch(
    [LOCK_CASE_SQL, LOCK_LIVE_DEADLINES_SQL, CASE_CLOCKS_SQL].map((statement) => ({ sql: statement, params: [caseId], prepared: true })),
  )) as [CaseRow[], DeadlineRow[], object[]];
  const [caseRow] = caseRows;
  if (!caseRow) return null;
  const entity = caseFromRow(caseRow);
  const live = deadlineRows.map(deadlineFromRow);
  return { entity, live, clocks: clocksFromRows(clockRows), loaded: loadedStateOf(entity, live) };
}

/**
 * The case's failed deadlines, locked, as plain objects like the live ones: what a redrive decides
 * on (RedriveCaseDeadlines), after the case lock.
 */
export async function lockFailedDeadlines(sql: SqlSession, caseId: string): Promise<DeadlineEntity[]> {
  return (await sql.all<DeadlineRow>(LOCK_FAILED_DEADLINES_SQL, [caseId])).map(deadlineFromRow);
}

/**
 * What a command compares with at the end: the case's writable columns and its live deadlines'
 * states, as they are now (dates copied, so a change made in place is still seen as one).
 */
export function loadedStateOf(entity: CaseEntity, live: readonly DeadlineEntity[]): LockedCase['loaded'] {
  return {
    case: {
      state: entity.state,
      status: entity.status,
      priority: entity.priority,
      slaPolicyId: entity.slaPolicyId,
      escalatedAt: copyOf(entity.escalatedAt),
      nextDeadlineAt: copyOf(entity.nextDeadlineAt),
    },
    deadlines: new Map(live.map((deadline) => [deadline.id, { status: deadline.status, settledAt: copyOf(deadline.settledAt) }])),
  };
}

const copyOf = (date: Date | null) => (date === null ? null : new Date(date.getTime()));
