import { AgentEntity, CaseEntity, DeadlineEntity, timestampOrNull, type SlaClockEntity, type SqlSession } from '@app/db';
import { CASE_CLOCKS_SQL, clocksFromRows } from '@app/sla';

/**
 * The case row, locked. One parameter: the case id. Exported so the benchmark's pgbench side
 * issues the very same. Its columns are named (as the deadlines' and clocks' are): the statement
 * is kept prepared, and `*` would change its result when a migration adds a column.
 */
export const LOCK_CASE_SQL = `select id, kind, machine_version, state, status, snapshot, machine_input, version, priority, channel, subject, description,
  customer_id, customer_name, merchant_id, livemode, test_clock_id, transaction_ref, amount_minor, currency, assignee_id, sla_policy_id,
  escalated_at, next_deadline_at, created_at, updated_at
  from cases where id = ? for update`;

/** A deadline row's columns, named (see LOCK_CASE_SQL), in the order deadlineFromRow reads them. */
const DEADLINE_COLUMNS = 'd.id, d.case_id, d.kind, d.sla_clock_id, d.name, d.send_id, d.event, d.due_at, d.status, d.created_at, d.settled_at';

/**
 * The case's live deadlines (pending ones, and SLA alarms that fired: the case view lists the
 * reminders sent), locked. One parameter: the case id. Exported for pgbench too.
 */
export const LOCK_LIVE_DEADLINES_SQL = `select ${DEADLINE_COLUMNS}
  from deadlines d where d.case_id = ? and (d.status = 'pending' or (d.kind = 'sla' and d.status = 'fired')) for update`;

/** The case's failed deadlines (BullMQ gave up on their jobs), locked, as the live ones are read. */
const LOCK_FAILED_DEADLINES_SQL = `select ${DEADLINE_COLUMNS} from deadlines d where d.case_id = ? and d.status = 'failed' for update`;

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

interface CaseRow {
  id: string;
  kind: CaseEntity['kind'];
  machine_version: number;
  state: string;
  status: CaseEntity['status'];
  snapshot: Record<string, unknown>;
  machine_input: unknown;
  version: number;
  priority: CaseEntity['priority'];
  channel: CaseEntity['channel'];
  subject: string;
  description: string | null;
  customer_id: string;
  customer_name: string | null;
  merchant_id: string | null;
  livemode: boolean;
  test_clock_id: string | null;
  transaction_ref: string | null;
  /** bigint: the driver returns it as a string. */
  amount_minor: string | number | null;
  currency: string | null;
  assignee_id: string | null;
  sla_policy_id: string | null;
  escalated_at: Timestamp | null;
  next_deadline_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

interface DeadlineRow {
  id: string;
  case_id: string;
  kind: DeadlineEntity['kind'];
  sla_clock_id: string | null;
  name: string;
  send_id: string;
  event: DeadlineEntity['event'];
  due_at: Timestamp;
  status: DeadlineEntity['status'];
  created_at: Timestamp;
  settled_at: Timestamp | null;
}

/** MikroORM has the driver hand timestamps over as text (it parses them itself); other pools give Dates. */
type Timestamp = string | Date;

const toDate = (value: Timestamp): Date => new Date(value);

function caseFromRow(row: CaseRow): CaseEntity {
  return Object.assign(new CaseEntity(), {
    id: row.id,
    kind: row.kind,
    machineVersion: row.machine_version,
    state: row.state,
    status: row.status,
    snapshot: row.snapshot,
    machineInput: row.machine_input,
    version: row.version,
    priority: row.priority,
    channel: row.channel,
    subject: row.subject,
    description: row.description,
    customerId: row.customer_id,
    customerName: row.customer_name,
    merchantId: row.merchant_id,
    livemode: row.livemode,
    testClockId: row.test_clock_id,
    transactionRef: row.transaction_ref,
    amountMinor: row.amount_minor === null ? null : Number(row.amount_minor),
    currency: row.currency,
    // Only the id (the rest of this stand-in is defaults): a caller that shows the assignee loads it (SendCaseEvent's view does).
    assignee: row.assignee_id ? Object.assign(new AgentEntity(), { id: row.assignee_id }) : null,
    slaPolicyId: row.sla_policy_id,
    escalatedAt: timestampOrNull(row.escalated_at),
    nextDeadlineAt: timestampOrNull(row.next_deadline_at),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  });
}

function deadlineFromRow(row: DeadlineRow): DeadlineEntity {
  return Object.assign(new DeadlineEntity(), {
    id: row.id,
    caseId: row.case_id,
    kind: row.kind,
    slaClockId: row.sla_clock_id,
    name: row.name,
    sendId: row.send_id,
    event: row.event,
    dueAt: toDate(row.due_at),
    status: row.status,
    createdAt: toDate(row.created_at),
    settledAt: timestampOrNull(row.settled_at),
  });
}
