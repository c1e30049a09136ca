import { LOCK_CASE_SQL, LOCK_LIVE_DEADLINES_SQL, loadedStateOf, planCaseWrites, recordTransition, type Actor } from '@app/cases';
import { CaseEntity, DeadlineEntity, type SqlStatement } from '@app/db';
import { applyEvent, definitionFor, type EventSender, type MachineEvent, type PersistedSnapshot } from '@app/domain';
import { AWAITING_CUSTOMER, LOOP_EVENTS, REVIEWING } from './case-engine.scenario';

/**
 * The pgbench side of the case-engine benchmark: a script that issues, statement for statement,
 * the transaction SendCaseEvent commits for the REQUEST_CUSTOMER_INFO ↔ CUSTOMER_INFO_PROVIDED
 * loop. The reads are the app's own constants (LOCK_CASE_SQL, LOCK_LIVE_DEADLINES_SQL); the
 * write is what the app's planCaseWrites returns for rows built by the app's recordTransition
 * from a seeded case, with the parameters written in as literals: the same text, in the same
 * order, with rows of the sizes the app writes.
 *
 * What it leaves out is the point of the comparison: HTTP, auth (its session lookup runs before the
 * transaction), validation, the app's JavaScript around the SQL, XState, the response view, Redis
 * and the effect workers. Known differences in the SQL itself:
 *  - the app's lock also reads the case's SLA clocks in its round trip (CASE_CLOCKS_SQL: none here,
 *    the bench's disputes match no SLA policy); the script leaves that statement out, which can
 *    only favour pgbench and the floor;
 *  - new row ids come from gen_random_uuid() rather than the client (same random distribution);
 *  - timestamps are fixed literals computed when the script is generated;
 *  - each pgbench client owns a disjoint slice of the cases, so pgbench never hits a version
 *    conflict. The HTTP side's conflicts are reported separately.
 */

/** pgbench cases get recognisable ids: this prefix and a 12-digit number. */
const CASE_ID_PREFIX = '00000000-0000-4000-8000-';
const CASE_NUMBER_BASE = 100_000_000_000;

export function pgbenchCaseId(index: number): string {
  return `${CASE_ID_PREFIX}${CASE_NUMBER_BASE + index}`;
}

/**
 * The benchmark clones several sets of cases of the same shape: set 0 for pgbench (and the floor
 * sent as the API), one more for each floor run beside an HTTP run. Set `n` starts at this index.
 */
export function pgbenchCaseSetStart(set: number): number {
  return set * 1_000_000;
}

/** Every pgbench variable the script uses, and pgbench's automatic ones; no literal may contain `:<one of these>`. */
const VARIABLES = ['cid', 'nclients', 'per_client', 'client_id', 'next_version', 'c_', 'd_', 'scale', 'random_seed', 'default_seed'];

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
  /**
   * The same reads and writes with their parameters apart, as the app sends them (the floor's run
   * in the API's round trips keeps them prepared, as the API does): the case and its live
   * deadlines, then each branch's write.
   */
  parameterized: { lockCase: TemplateStatement; lockDeadlines: TemplateStatement; requestWrite: TemplateStatement; providedWrite: TemplateStatement };
}

/** What a template parameter stands for, filled in at each call: the case, its version read and the next, the live deadline read, a new row's id. */
export type TemplateVariable = 'case_id' | 'c_version' | 'next_version' | 'd_id' | 'new_id';

/** A statement with `?` placeholders whose parameters are values or variables ({ variable }). */
export interface TemplateStatement {
  sql: string;
  params: Array<unknown>;
}

export const isTemplateVariable = (value: unknown): value is { variable: TemplateVariable } =>
  typeof value === 'object' && value !== null && 'variable' in value && Object.keys(value).length === 1;

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return String(value);
  const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : JSON.stringify(value);
  for (const name of VARIABLES) {
    if (text.includes(`:${name}`)) throw new Error(`literal ${text.slice(0, 80)}… would be rewritten by pgbench (:${name})`);
  }
  return `'${text.replace(/'/g, "''")}'`;
}

/** A pgbench variable (or expression) written into the script as it is, not as a literal. */
class Raw {
  constructor(readonly text: string) {}
}

/** The pgbench variable (or expression) a Raw stands for, as a template variable. */
const TEMPLATE_VARIABLES: Record<string, TemplateVariable> = {
  ':c_version': 'c_version',
  ':next_version': 'next_version',
  "':d_id'": 'd_id',
  'gen_random_uuid()': 'new_id',
  [`'${CASE_ID_PREFIX}:cid'`]: 'case_id',
};

/** A statement's parameters with the pgbench variables they stand for as template variables. */
function template(statement: SqlStatement, substitute: (value: unknown) => Raw | undefined): TemplateStatement {
  return {
    sql: statement.sql,
    params: statement.params.map((value) => {
      const raw = substitute(value);
      if (!raw) return value;
      const variable = TEMPLATE_VARIABLES[raw.text];
      if (!variable) throw new Error(`no template variable for ${raw.text}`);
      return { variable };
    }),
  };
}

/** Writes a statement's parameters into its text: literals, or the pgbench variables they stand for. */
function render(statement: SqlStatement, substitute: (value: unknown) => Raw | undefined): string {
  const parts = statement.sql.split('?');
  if (parts.length !== statement.params.length + 1) throw new Error(`statement has a "?" that is not a parameter: ${statement.sql}`);
  return (
    parts.reduce((text, part, index) => {
      if (index === 0) return part;
      const value = statement.params[index - 1];
      const raw = substitute(value);
      return `${text}${raw ? raw.text : literal(value)}${part}`;
    }) + ';'
  );
}

export function buildCaseEnginePgbenchScript(input: CaseEnginePgbenchInput): CaseEnginePgbenchScript {
  const { seeded, agentId, now } = input;
  const definition = definitionFor(seeded.kind as never, seeded.machineVersion);
  const sender: EventSender = { kind: 'agent', role: 'agent' };
  const actor: Actor = { kind: 'agent', id: agentId, role: 'agent' };
  const eventOf = (spec: { type: string; payload: object }): MachineEvent => ({ type: spec.type, ...spec.payload });
  const request = applyEvent(definition, seeded.snapshot, eventOf(LOOP_EVENTS[REVIEWING]), sender);
  const provided = applyEvent(definition, request.snapshot, eventOf(LOOP_EVENTS[AWAITING_CUSTOMER]), sender);
  // The script's branches assume this shape; if the machine changes, the template must follow.
  if (request.state !== AWAITING_CUSTOMER || provided.state !== REVIEWING) throw new Error(`loop states changed: ${request.state}, ${provided.state}`);
  if (request.scheduled.length !== 1 || provided.cancelledSendIds.length !== 1 || provided.scheduled.length || provided.effects.length) {
    throw new Error('the REQUEST_CUSTOMER_INFO ↔ CUSTOMER_INFO_PROVIDED loop no longer schedules exactly one deadline; update the pgbench template');
  }

  // Stand-ins the app's code carries through to the statements, replaced by pgbench variables.
  const caseIdText = `${CASE_ID_PREFIX}:cid`;
  const version = -1_000_001; // :c_version, the version read (the case row's, \gset c_)
  const deadlineId = '00000000-0000-4000-8000-00000000d1d1'; // :d_id, the live deadline read (\gset d_)
  const caseId = `'${caseIdText}'`;

  // Both branches start from a case as lockCaseWithLiveDeadlines returns it.
  const lockedCase = (state: string, snapshot: PersistedSnapshot, nextDeadlineAt: Date | null) =>
    Object.assign(new CaseEntity(), { id: caseIdText, kind: seeded.kind, machineVersion: seeded.machineVersion, state, snapshot, version, nextDeadlineAt, priority: 'normal' });
  const writesOf = (entity: CaseEntity, transition: typeof request, live: DeadlineEntity[]) => {
    const loaded = loadedStateOf(entity, live);
    const recorded = recordTransition(entity, transition, actor, now, { isNew: false, live });
    const newRows = { events: [recorded.event], deadlines: recorded.scheduledDeadlines, outbox: recorded.outbox };
    const newIds = new Set([...newRows.deadlines, ...newRows.outbox].map((row) => row.id));
    const substitute = (value: unknown): Raw | undefined => {
      if (value === caseIdText) return new Raw(caseId);
      if (value === version) return new Raw(':c_version');
      if (value === version + 1) return new Raw(':next_version');
      if (value === deadlineId) return new Raw("':d_id'");
      if (typeof value === 'string' && newIds.has(value)) return new Raw('gen_random_uuid()');
      return undefined;
    };
    const write = planCaseWrites({ entity, live, loaded, newRows, now });
    return { statements: [render(write, substitute)], template: template(write, substitute), recorded };
  };

  const requestWrites = writesOf(lockedCase(REVIEWING, seeded.snapshot, null), request, []);
  const window = requestWrites.recorded.scheduledDeadlines[0]!;
  const liveWindow = Object.assign(new DeadlineEntity(), { ...window, id: deadlineId });
  const providedWrites = writesOf(lockedCase(AWAITING_CUSTOMER, request.snapshot, window.dueAt), provided, [liveWindow]);

  // The command's two reads (the case, then its live deadlines, both locked): the very statements the app sends.
  const selectCase = LOCK_CASE_SQL.replace('?', caseId);
  const selectPending = LOCK_LIVE_DEADLINES_SQL.replace('?', caseId);
  const requestStatements = ['begin;', `${selectCase} \\gset c_`, `${selectPending};`, ...requestWrites.statements, 'commit;'];
  // Exactly one live deadline here (the info-reply window); \gset fails loudly otherwise.
  const providedStatements = ['begin;', `${selectCase} \\gset c_`, `${selectPending} \\gset d_`, ...providedWrites.statements, 'commit;'];

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
  const byCase = (sql: string): TemplateStatement => ({ sql, params: [{ variable: 'case_id' }] });
  return {
    script,
    statements: { request: requestStatements, provided: providedStatements },
    parameterized: {
      lockCase: byCase(LOCK_CASE_SQL),
      lockDeadlines: byCase(LOCK_LIVE_DEADLINES_SQL),
      requestWrite: requestWrites.template,
      providedWrite: providedWrites.template,
    },
  };
}
