import { LOCK_CASE_SQL, LOCK_LIVE_DEADLINES_SQL } from '@app/cases';
import { applyEvent, definitionFor, type CaseTransition, type EventSender, type MachineEvent, type PersistedSnapshot } from '@app/domain';
import { AWAITING_CUSTOMER, LOOP_EVENTS, REVIEWING } from './case-engine.scenario';

/**
 * The pgbench side of the case-engine benchmark: a script that issues, statement for statement,
 * the transaction SendCaseEvent commits for the REQUEST_CUSTOMER_INFO ↔ CUSTOMER_INFO_PROVIDED
 * loop — the statements and their order as MikroORM sends them (seen with DATABASE_DEBUG=true),
 * with literals in the same places. The literal values (snapshots, payloads, deadline) are computed
 * by the real machine from a seeded case, so the rows written have the sizes the app writes.
 *
 * What it leaves out is the point of the comparison: HTTP, auth (its session lookup runs before the
 * transaction), validation, the ORM, XState, the response view, Redis and the effect workers.
 * The bench's disputes match no SLA policy, so the command reads no SLA clocks (neither side).
 * Known differences in the SQL itself:
 *  - new row ids come from gen_random_uuid() rather than the client (same random distribution);
 *  - timestamps are fixed literals computed when the script is generated;
 *  - each pgbench client owns a disjoint slice of the cases, so pgbench never hits a version
 *    conflict (an UPDATE … WHERE version = n matching 0 rows would not abort its transaction the
 *    way the ORM's OptimisticLockError does). The HTTP side's conflicts are reported separately.
 */

/** pgbench cases get recognisable ids: this prefix and a 12-digit number. */
const CASE_ID_PREFIX = '00000000-0000-4000-8000-';
const CASE_NUMBER_BASE = 100_000_000_000;

export function pgbenchCaseId(index: number): string {
  return `${CASE_ID_PREFIX}${CASE_NUMBER_BASE + index}`;
}

/** Every pgbench variable the script uses; no literal may contain `:<one of these>`. */
const VARIABLES = ['cid', 'nclients', 'per_client', 'client_id', 'next_version', 'c_', 'd_'];

export interface CaseEnginePgbenchInput {
  /** A seeded dispute in investigation.reviewing, as stored. */
  seeded: { kind: string; machineVersion: number; version: number; snapshot: PersistedSnapshot };
  agentId: string;
  now: Date;
}

export interface CaseEnginePgbenchScript {
  script: string;
  /** Statements (with begin and commit) each branch sends, in the order sent. */
  statements: { request: string[]; provided: string[] };
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return String(value);
  const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : JSON.stringify(value);
  for (const name of VARIABLES) {
    if (text.includes(`:${name}`)) throw new Error(`literal ${text.slice(0, 80)}… would be rewritten by pgbench (:${name})`);
  }
  return `'${text.replace(/'/g, "''")}'`;
}

function insert(table: string, row: Record<string, string>, returning = ''): string {
  const columns = Object.keys(row).map((column) => `"${column}"`).join(', ');
  return `insert into "${table}" (${columns}) values (${Object.values(row).join(', ')})${returning};`;
}

export function buildCaseEnginePgbenchScript(input: CaseEnginePgbenchInput): CaseEnginePgbenchScript {
  const { seeded, agentId, now } = input;
  const definition = definitionFor(seeded.kind as never, seeded.machineVersion);
  const sender: EventSender = { kind: 'agent', role: 'agent' };
  const eventOf = (spec: { type: string; payload: object }): MachineEvent => ({ type: spec.type, ...spec.payload });
  const request = applyEvent(definition, seeded.snapshot, eventOf(LOOP_EVENTS[REVIEWING]), sender);
  const provided = applyEvent(definition, request.snapshot, eventOf(LOOP_EVENTS[AWAITING_CUSTOMER]), sender);
  // The script's branches assume this shape; if the machine changes, the template must follow.
  if (request.state !== AWAITING_CUSTOMER || provided.state !== REVIEWING) throw new Error(`loop states changed: ${request.state}, ${provided.state}`);
  if (request.scheduled.length !== 1 || provided.cancelledSendIds.length !== 1 || provided.scheduled.length || provided.effects.length) {
    throw new Error('the REQUEST_CUSTOMER_INFO ↔ CUSTOMER_INFO_PROVIDED loop no longer schedules exactly one deadline; update the pgbench template');
  }

  const caseId = `'${CASE_ID_PREFIX}:cid'`;
  const at = literal(now);
  const deadline = request.scheduled[0]!;
  const dueAt = new Date(now.getTime() + deadline.delayMs);

  // The command's two reads (the case, then its live deadlines, both locked): the very statements the app sends.
  const selectCase = LOCK_CASE_SQL.replace('?', caseId);
  const selectPending = LOCK_LIVE_DEADLINES_SQL.replace('?', caseId);
  const caseEvent = (transition: CaseTransition, fromState: string) =>
    insert(
      'case_events',
      {
        case_id: caseId,
        category: literal('machine'),
        type: literal(transition.event.type),
        actor_kind: literal('agent'),
        actor_id: literal(agentId),
        from_state: literal(fromState),
        to_state: literal(transition.state),
        case_version: ':next_version',
        payload: literal(transition.event),
        created_at: at,
      },
      ' returning "id"',
    );
  const updateCase = (transition: CaseTransition, nextDeadlineAt: Date | null) =>
    `update "cases" set "state" = ${literal(transition.state)}, "snapshot" = ${literal(transition.snapshot)}, ` +
    `"next_deadline_at" = ${literal(nextDeadlineAt)}, "updated_at" = ${at}, "version" = "version" + 1 ` +
    `where "id" = ${caseId} and "version" = :c_version returning "version";`;

  const requestStatements = [
    'begin;',
    `${selectCase} \\gset c_`,
    `${selectPending};`,
    ...request.effects.map((effect) =>
      insert('outbox', {
        id: 'gen_random_uuid()',
        case_id: caseId,
        type: literal(effect.type),
        payload: literal({ ...effect.params, caseState: request.state, caseKind: seeded.kind }),
        status: literal('pending'),
        attempts: '0',
        last_error: 'NULL',
        created_at: at,
        relayed_at: 'NULL',
        done_at: 'NULL',
      }),
    ),
    caseEvent(request, REVIEWING),
    insert('deadlines', {
      id: 'gen_random_uuid()',
      case_id: caseId,
      kind: literal('machine'),
      sla_clock_id: 'NULL',
      name: literal(deadline.name),
      send_id: literal(deadline.sendId),
      event: literal(deadline.event),
      due_at: literal(dueAt),
      status: literal('pending'),
      created_at: at,
      settled_at: 'NULL',
    }),
    updateCase(request, dueAt),
    'commit;',
  ];
  const providedStatements = [
    'begin;',
    `${selectCase} \\gset c_`,
    // Exactly one live deadline here (the info-reply window); \gset fails loudly otherwise.
    `${selectPending} \\gset d_`,
    caseEvent(provided, AWAITING_CUSTOMER),
    `update "deadlines" set "status" = 'cancelled', "settled_at" = ${at} where "id" = ':d_id';`,
    updateCase(provided, null),
    'commit;',
  ];

  // Both branches share begin and the case select; the case's version parity says which state it
  // is in (the loop alternates, starting from the seeded version in reviewing), which spares a
  // string comparison pgbench's \if cannot do.
  const reviewingParity = seeded.version % 2;
  const script = [
    '-- generated by test/bench/case-engine.pgbench.ts; one SendCaseEvent transaction per run',
    '\\set cid ' + `${CASE_NUMBER_BASE} + random(0, :per_client - 1) * :nclients + :client_id`,
    requestStatements[0],
    requestStatements[1],
    '\\set next_version :c_version + 1',
    `\\if :c_version % 2 = ${reviewingParity}`,
    ...requestStatements.slice(2, -1),
    '\\else',
    ...providedStatements.slice(2, -1),
    '\\endif',
    'commit;',
    '',
  ].join('\n');
  return { script, statements: { request: requestStatements, provided: providedStatements } };
}
