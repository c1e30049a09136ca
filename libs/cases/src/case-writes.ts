import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { CaseEntity, CaseEventEntity, DeadlineEntity, OutboxEntity } from '@app/db';
import { versionConflict } from './errors';
import type { CaseWritableField, LockedCase } from './lock-case';

/**
 * How a command on an existing case writes what it changed: plain parameterised statements, in
 * the command's transaction, instead of MikroORM's unit of work. Every event takes this path, and
 * a profile of it under load showed the unit of work (change sets, hydration, the query builder)
 * costing more CPU than everything else the request did. It writes what the flush wrote (one
 * multi-row INSERT per table, the settled deadlines, the case row guarded by its version), as one
 * statement.
 *
 * `planCaseWrites` is pure, so the benchmark's pgbench side renders the very same statement;
 * `writeCaseChanges` runs it. Rows the SLA tracker adds or changes (clocks, alarms,
 * annotations) stay in the unit of work and go out with the flush that ends the transaction.
 */
export interface SqlStatement {
  /** `?` placeholders, as MikroORM's connection takes them. */
  sql: string;
  params: unknown[];
}

/** Rows a transition adds. */
export interface NewCaseRows {
  events: CaseEventEntity[];
  deadlines: DeadlineEntity[];
  outbox: OutboxEntity[];
}

export interface CaseChanges {
  /** The case as the command left it in memory. */
  entity: CaseEntity;
  /** The live deadlines as the command left them (lockCaseWithLiveDeadlines read them). */
  live: DeadlineEntity[];
  loaded: LockedCase['loaded'];
  newRows: NewCaseRows;
  now: Date;
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

/** Every column a command inserts, per table; a test holds them against the migrated schema. */
export const INSERTED_COLUMNS: Readonly<Record<'outbox' | 'case_events' | 'deadlines', readonly string[]>> = {
  outbox: OUTBOX_COLUMNS.map(([column]) => column),
  case_events: CASE_EVENT_COLUMNS.map(([column]) => column),
  deadlines: DEADLINE_COLUMNS.map(([column]) => column),
};

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

function insertRows<T>(table: string, columns: ReadonlyArray<Column<T>>, rows: readonly T[]): SqlStatement | null {
  if (rows.length === 0) return null;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  return {
    sql: `insert into "${table}" (${columns.map(([column]) => `"${column}"`).join(', ')}) values ${rows.map(() => tuple).join(', ')}`,
    params: rows.flatMap((row) => columns.map(([, value]) => value(row))),
  };
}

/**
 * The one statement a command writes with: the new rows (outbox, timeline, deadlines) and the
 * settled deadlines as data-modifying CTEs, then the case row, with `where version = <read>` and
 * `returning "version"`. One round trip instead of one per table: the case lock is held for less
 * time, and on this path every round trip costs the API more CPU than the SQL costs PostgreSQL.
 * The CTEs run whether or not the case row matches; a command that finds no row back fails, and
 * its transaction rolls them back with it.
 */
export function planCaseWrites(changes: CaseChanges): SqlStatement {
  const { entity, live, loaded, newRows, now } = changes;
  const parts = [
    insertRows('outbox', OUTBOX_COLUMNS, newRows.outbox),
    insertRows('case_events', CASE_EVENT_COLUMNS, newRows.events),
    insertRows('deadlines', DEADLINE_COLUMNS, newRows.deadlines),
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
  const updateCase = `update "cases" set ${sets.join(', ')} where "id" = ? and "version" = ? returning "version"`;
  params.push(entity.id, entity.version);

  if (parts.length === 0) return { sql: updateCase, params };
  return {
    sql: `with ${parts.map((part, index) => `"w${index + 1}" as (${part.sql})`).join(', ')} ${updateCase}`,
    params: [...parts.flatMap((part) => part.params), ...params],
  };
}

/**
 * Runs planCaseWrites' statement in the caller's transaction and sets the case's new version.
 * The case row is locked (lockCaseWithLiveDeadlines), so its version cannot have moved; if it
 * has, something bypassed the lock, and the command fails as a version conflict rather than
 * writing over it.
 */
export async function writeCaseChanges(em: EntityManager, changes: CaseChanges): Promise<void> {
  const connection = em.getConnection();
  const transaction = em.getTransactionContext<Knex.Transaction>();
  const statement = planCaseWrites(changes);
  const [updated] = await connection.execute<Array<{ version: number }>>(statement.sql, statement.params, 'all', transaction);
  if (!updated) throw versionConflict(changes.entity.id, undefined);
  changes.entity.version = updated.version;
  changes.entity.updatedAt = changes.now;
}

/** Settles one live deadline that a firing changed without a transition of its case (stale, or an SLA alarm). */
export async function settleDeadline(em: EntityManager, deadline: Pick<DeadlineEntity, 'id' | 'status' | 'settledAt'>): Promise<void> {
  await em
    .getConnection()
    .execute(`update "deadlines" set "status" = ?, "settled_at" = ? where "id" = ?`, [deadline.status, deadline.settledAt, deadline.id], 'run', em.getTransactionContext());
}
