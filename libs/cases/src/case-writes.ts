import type { CaseEntity, CaseEventEntity, DeadlineEntity, NotificationEntity, OutboxEntity, SlaClockEntity, SqlSession, SqlStatement } from '@app/db';
import type { CaseWritableField, LockedCase } from './lock-case';

/**
 * The one writer of a command on an existing case: everything the transition (or a deadline's
 * firing) changes goes out here as ONE parameterised statement, in the command's transaction,
 * never through MikroORM's unit of work: the case row guarded by its version, its timeline rows
 * (the machine event and the SLA's annotations), new deadlines (machine, SLA alarms, window
 * reminders), settled deadlines, changed SLA clocks, the refund ledger's movement, outbox rows
 * and inbox notifications. Every event takes this path, and a profile of it under load showed the
 * unit of work (change sets, hydration, the query builder) costing more CPU than everything else
 * the request did; one round trip also holds the case lock for less time.
 *
 * `planCaseWrites` is pure, so the benchmark's pgbench side renders the very same statement;
 * `writeCaseChanges` runs it. The parts are built by pure code too (recordTransition, the SLA
 * tracker's clocks and alarms phases), so nothing on the path holds a managed copy of these rows.
 */

/** Rows a transition adds. */
export interface NewCaseRows {
  events: CaseEventEntity[];
  deadlines: DeadlineEntity[];
  outbox: OutboxEntity[];
  /** Agents' inbox notices (an SLA breach, a refused deadline decision). */
  notifications?: NotificationEntity[];
}

export interface CaseChanges {
  /** The case as the command left it in memory. */
  entity: CaseEntity;
  /** The live deadlines as the command left them (lockCaseWithLiveDeadlines read them). */
  live: DeadlineEntity[];
  loaded: LockedCase['loaded'];
  newRows: NewCaseRows;
  now: Date;
  /** SLA clocks whose row changed (the clocks phase says which). */
  clocks?: readonly SlaClockEntity[];
  /** The refund ledger's movement (refund-ledger.ts planCaseRefundShare), checked under its lock already. */
  ledger?: readonly SqlStatement[];
  /** The admin audit entry of a transition that decides a proposal (AdminAuditLog.insertStatement). */
  auditEntry?: SqlStatement;
  /**
   * False when the case row itself is not written: an SLA reminder or a stale firing changes rows
   * of the case but not the case, and must not bump its version.
   */
  writeCase?: boolean;
  /**
   * A read that goes in the write's round trip, after it and before the commit, so it sees the
   * case as this write left it, with no other command on the case in between (the case lock is
   * still held): the answer's view, SendCaseEvent.executeAndView.
   */
  readAfterWrite?: SqlStatement;
}

type Column<T> = readonly [column: string, value: (row: T) => unknown];

const json = (value: unknown) => JSON.stringify(value);

const OUTBOX_COLUMNS: ReadonlyArray<Column<OutboxEntity>> = [
  ['id', (row) => row.id],
  ['case_id', (row) => row.caseId],
  ['type', (row) => row.type],
  ['payload', (row) => json(row.payload)],
  ['status', (row) => row.status],
  ['attempts', (row) => row.attempts],
  ['last_error', (row) => row.lastError],
  ['created_at', (row) => row.createdAt],
  ['relayed_at', (row) => row.relayedAt],
  ['done_at', (row) => row.doneAt],
  ['relays', (row) => row.relays],
  ['request_id', (row) => row.requestId],
];

const CASE_EVENT_COLUMNS: ReadonlyArray<Column<CaseEventEntity>> = [
  ['case_id', (row) => row.caseId],
  ['category', (row) => row.category],
  ['type', (row) => row.type],
  ['actor_kind', (row) => row.actorKind],
  ['actor_id', (row) => row.actorId],
  ['from_state', (row) => row.fromState],
  ['to_state', (row) => row.toState],
  ['case_version', (row) => row.caseVersion],
  ['payload', (row) => json(row.payload)],
  ['created_at', (row) => row.createdAt],
];

const DEADLINE_COLUMNS: ReadonlyArray<Column<DeadlineEntity>> = [
  ['id', (row) => row.id],
  ['case_id', (row) => row.caseId],
  ['kind', (row) => row.kind],
  ['sla_clock_id', (row) => row.slaClockId],
  ['name', (row) => row.name],
  ['send_id', (row) => row.sendId],
  ['event', (row) => json(row.event)],
  ['due_at', (row) => row.dueAt],
  ['status', (row) => row.status],
  ['created_at', (row) => row.createdAt],
  ['settled_at', (row) => row.settledAt],
];

const NOTIFICATION_COLUMNS: ReadonlyArray<Column<NotificationEntity>> = [
  ['id', (row) => row.id],
  ['audience', (row) => row.audience],
  ['recipient_agent_id', (row) => row.recipientAgentId],
  ['case_id', (row) => row.caseId],
  ['type', (row) => row.type],
  ['payload', (row) => json(row.payload)],
  ['dedupe_key', (row) => row.dedupeKey],
  ['created_at', (row) => row.createdAt],
  ['read_at', (row) => row.readAt],
];

/** The clock columns a transition or an alarm may change, with their SQL types (a VALUES list carries no types of its own). */
const CLOCK_UPDATE_COLUMNS: ReadonlyArray<readonly [column: string, type: string, value: (clock: SlaClockEntity) => unknown]> = [
  ['status', 'text', (clock) => clock.status],
  ['used_minutes', 'double precision', (clock) => clock.usedMinutes],
  ['running_since', 'timestamptz', (clock) => clock.runningSince],
  ['due_at', 'timestamptz', (clock) => clock.dueAt],
  ['met_at', 'timestamptz', (clock) => clock.metAt],
  ['breached_at', 'timestamptz', (clock) => clock.breachedAt],
  ['breached_assignee_id', 'uuid', (clock) => clock.breachedAssigneeId],
  ['finished_at', 'timestamptz', (clock) => clock.finishedAt],
  ['finished_minutes', 'double precision', (clock) => clock.finishedMinutes],
];

/** Every column a command inserts or updates, per table; a test holds them against the migrated schema. */
export const INSERTED_COLUMNS: Readonly<Record<'outbox' | 'case_events' | 'deadlines' | 'notifications' | 'sla_clocks', readonly string[]>> = {
  outbox: OUTBOX_COLUMNS.map(([column]) => column),
  case_events: CASE_EVENT_COLUMNS.map(([column]) => column),
  deadlines: DEADLINE_COLUMNS.map(([column]) => column),
  notifications: NOTIFICATION_COLUMNS.map(([column]) => column),
  sla_clocks: ['id', ...CLOCK_UPDATE_COLUMNS.map(([column]) => column)],
};

const CLOCK_TUPLE = `(?::uuid, ${CLOCK_UPDATE_COLUMNS.map(([, type]) => `?::${type}`).join(', ')})`;
const CLOCK_SETS = CLOCK_UPDATE_COLUMNS.map(([column]) => `"${column}" = v."${column}"`).join(', ');
const CLOCK_VALUE_NAMES = `v("id", ${CLOCK_UPDATE_COLUMNS.map(([column]) => `"${column}"`).join(', ')})`;

function updateClocks(clocks: readonly SlaClockEntity[]): SqlStatement | null {
  if (clocks.length === 0) return null;
  return {
    sql: `update "sla_clocks" k set ${CLOCK_SETS} from (values ${clocks.map(() => CLOCK_TUPLE).join(', ')}) as ${CLOCK_VALUE_NAMES} where k."id" = v."id"`,
    params: clocks.flatMap((clock) => [clock.id, ...CLOCK_UPDATE_COLUMNS.map(([, , value]) => value(clock))]),
  };
}

/** The case columns a command may change, and how each is compared with what was read. */
const CASE_CHANGE_COLUMNS: ReadonlyArray<readonly [field: CaseWritableField, column: string]> = [
  ['state', 'state'],
  ['status', 'status'],
  ['priority', 'priority'],
  ['slaPolicyId', 'sla_policy_id'],
  ['escalatedAt', 'escalated_at'],
  ['nextDeadlineAt', 'next_deadline_at'],
];

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

/** The insert of rows into a table, the fixed parts of its text made once (every command builds a few). */
function rowInserter<T>(table: string, columns: ReadonlyArray<Column<T>>): (rows: readonly T[]) => SqlStatement | null {
  const head = `insert into "${table}" (${columns.map(([column]) => `"${column}"`).join(', ')}) values `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  return (rows) =>
    rows.length === 0
      ? null
      : {
          sql: head + rows.map(() => tuple).join(', '),
          params: rows.flatMap((row) => columns.map(([, value]) => value(row))),
        };
}

const insertOutbox = rowInserter('outbox', OUTBOX_COLUMNS);
const insertCaseEvents = rowInserter('case_events', CASE_EVENT_COLUMNS);
const insertDeadlines = rowInserter('deadlines', DEADLINE_COLUMNS);
const insertNotifications = rowInserter('notifications', NOTIFICATION_COLUMNS);

/**
 * The one statement a command writes with: the new rows (outbox, timeline, deadlines,
 * notifications), the settled deadlines, the changed clocks and the ledger's movement as
 * data-modifying CTEs, then the case row, with `where version = <read>` and `returning "version"`.
 * One round trip instead of one per table: the case lock is held for less time, and on this path
 * every round trip costs the API more CPU than the SQL costs PostgreSQL. The CTEs run whether or
 * not the case row matches, and the statement is the transaction's last (its commit goes with it:
 * writeCaseChanges), so a case row that no longer has the version read fails the statement itself
 * (`written_case_version` raises SQLSTATE 40001: a version conflict) and nothing commits. Without
 * the case row (writeCase false) the statement ends in `select 1`.
 */
export function planCaseWrites(changes: CaseChanges): SqlStatement {
  const { entity, live, loaded, newRows, now } = changes;
  const parts = [
    insertOutbox(newRows.outbox),
    insertCaseEvents(newRows.events),
    insertDeadlines(newRows.deadlines),
    insertNotifications(newRows.notifications ?? []),
    updateClocks(changes.clocks ?? []),
    ...(changes.ledger ?? []),
    changes.auditEntry ?? null,
  ].filter((part): part is SqlStatement => part !== null);

  // Settled deadlines, one statement per outcome (usually one: the cancelled window).
  const settled = new Map<string, { status: DeadlineEntity['status']; settledAt: Date | null; ids: string[] }>();
  for (const deadline of live) {
    const before = loaded.deadlines.get(deadline.id);
    if (!before || (before.status === deadline.status && same(before.settledAt, deadline.settledAt))) continue;
    const key = `${deadline.status}@${deadline.settledAt?.getTime() ?? ''}`;
    const group = settled.get(key) ?? { status: deadline.status, settledAt: deadline.settledAt, ids: [] };
    group.ids.push(deadline.id);
    settled.set(key, group);
  }
  for (const group of settled.values()) {
    parts.push({
      sql: `update "deadlines" set "status" = ?, "settled_at" = ? where "id" in (${group.ids.map(() => '?').join(', ')})`,
      params: [group.status, group.settledAt, ...group.ids],
    });
  }

  if (changes.writeCase === false) {
    return { sql: `${withClause(parts)} select 1 as "written"`, params: parts.flatMap((part) => part.params) };
  }
  const sets: string[] = [];
  const params: unknown[] = [];
  for (const [field, column] of CASE_CHANGE_COLUMNS) {
    if (same(loaded.case[field], entity[field])) continue;
    sets.push(`"${column}" = ?`);
    params.push(entity[field]);
  }
  // Every transition writes its snapshot and bumps the version, as its timeline row says it does.
  sets.push('"snapshot" = ?', '"updated_at" = ?', '"version" = "version" + 1');
  params.push(json(entity.snapshot), now);
  parts.push({ sql: `update "cases" set ${sets.join(', ')} where "id" = ? and "version" = ? returning "version"`, params: [...params, entity.id, entity.version] });
  const caseRow = `w${parts.length}`;
  return {
    sql: `${withClause(parts)} select written_case_version(?, (select "version" from "${caseRow}")) as "version"`,
    params: [...parts.flatMap((part) => part.params), entity.id],
  };
}

const withClause = (parts: readonly SqlStatement[]) => (parts.length ? `with ${parts.map((part, index) => `"w${index + 1}" as (${part.sql})`).join(', ')}` : '');

/**
 * Runs planCaseWrites' statement as the last of the caller's transaction (on the command path its
 * commit goes with it: SqlSession.last) and sets the case's new version; returns the rows of
 * `readAfterWrite`, if it was given (only with the case row written). The case row is locked
 * (lockCaseWithLiveDeadlines), so its version cannot have moved; if it has, something bypassed the
 * lock, and the statement itself fails (SQLSTATE 40001, MikroORM's DeadlockException: a command
 * answers VERSION_CONFLICT) rather than writing over it.
 */
export async function writeCaseChanges(sql: SqlSession, changes: CaseChanges): Promise<object[] | undefined> {
  // Kept prepared: its text varies only with the shape of what a command changes (which tables,
  // how many rows), a few shapes carry nearly every event, and planning it cost PostgreSQL 0.1 to
  // 0.2 ms a call (docs/benchmarks.md, round 22).
  const statement = { ...planCaseWrites(changes), prepared: true };
  const read = changes.readAfterWrite;
  if (changes.writeCase === false) {
    if (read) throw new Error('a read after the write is only sent with the case row written');
    if (statement.params.length) await sql.last([statement]);
    return undefined;
  }
  const [written, readRows] = await sql.last(read ? [statement, read] : [statement]);
  // One row always: written_case_version raises when the case row was not written.
  const [updated] = written as [{ version: number }];
  changes.entity.version = updated.version;
  changes.entity.updatedAt = changes.now;
  return readRows;
}
