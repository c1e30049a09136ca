import { LOCK_CASE_SQL, LOCK_LIVE_DEADLINES_SQL, SendCaseEvent, senderOf, type Actor } from '@app/cases';
import { toNumberedPlaceholders, type SqlSession, type SqlStatement } from '@app/db';
import { applyEvent, definitionFor, type MachineEvent } from '@app/domain';
import { CASE_CLOCKS_SQL, SlaTracker } from '@app/sla';
import { lockCaseWithLiveDeadlines } from '../../libs/cases/src/lock-case';
import { writeTransition } from '../../libs/cases/src/write-transition';
import { AWAITING_CUSTOMER, LOOP_EVENTS, REVIEWING } from './case-engine.scenario';
import type { BenchApp } from './support/bench-app';

/**
 * The floor's statements for disputes under the default SLA policies: what the API sends for the
 * REQUEST_CUSTOMER_INFO ↔ CUSTOMER_INFO_PROVIDED loop when the case has clocks (the resolution
 * clock paused and resumed, its four alarms cancelled and placed again, the info-reply window's
 * reminders placed and cancelled). The floor the plain run is divided by sends the statements of
 * a case without clocks; dividing the SLA run by it would count the SLA rows' SQL as the app's
 * overhead, which is what the ratio leaves out (the floor is "the same statements" with nothing
 * around them).
 *
 * The statements are the app's own, not a copy: the case is read with the command's lock
 * (lockCaseWithLiveDeadlines), each event goes through the app's writeTransition (SLA plan, machine
 * rows, clocks and alarms phases, planCaseWrites), on a session that records the write instead of
 * sending it (buildSlaFloorScript). The ids in them become slots the floor fills at each call:
 * the case, the version read and the next, the live deadlines and the clocks it read (by
 * position), and new row ids. Like the plain floor, it leaves out the answer's read, which the
 * API sends with its write (SendCaseEvent.executeAndView).
 */

/** What a slot of a statement is filled with at each call. */
export type Slot =
  | { of: 'case_id' | 'c_version' | 'next_version' }
  | { of: 'live'; index: number }
  | { of: 'clock'; index: number }
  /** A new row's id, the same within one call wherever `index` appears. */
  | { of: 'fresh'; index: number }
  /** `window.<the fresh id number index>`: a window reminder's send id names its window's row. */
  | { of: 'window'; index: number };

/** A statement with its constant parameters written in as literals: `pieces` around the slots. */
export interface RenderedStatement {
  pieces: string[];
  slots: Slot[];
}

/** A parameter filled at each call. */
export class SlotParam {
  constructor(readonly slot: Slot) {}
}

/**
 * A statement in both forms the floor sends: rendered (per statement, the simple protocol), and
 * with its parameters apart, slots as SlotParam (sent as the API: kept prepared, bound at each call).
 */
export interface FloorStatement {
  rendered: RenderedStatement;
  slotted: SqlStatement;
}

export interface SlaFloorScript {
  reviewingParity: number;
  lockCase: FloorStatement;
  lockDeadlines: FloorStatement;
  readClocks: FloorStatement;
  /** The write (with the case row's version check) of each branch, and how many live deadlines and clocks its read must find. */
  request: SlaBranch;
  provided: SlaBranch;
}

export interface SlaBranch {
  write: FloorStatement;
  live: number;
  clocks: number;
  /** New row ids the write takes. */
  fresh: number;
}

export interface SlotValues {
  caseId: string;
  version: number;
  live: readonly string[];
  clocks: readonly string[];
  fresh: readonly string[];
}

/** The statement's text with its slots filled, for the simple protocol (as pgbench and the plain floor send). */
export function fill(statement: RenderedStatement, values: SlotValues): string {
  let text = statement.pieces[0]!;
  for (let index = 0; index < statement.slots.length; index += 1) {
    const value = slotValue(statement.slots[index]!, values);
    // Ids and versions only: nothing to escape.
    text += (typeof value === 'number' ? String(value) : `'${value}'`) + statement.pieces[index + 1]!;
  }
  return text;
}

/** The statement's parameters with its slots filled, for a bound (extended protocol) send. */
export function bindSlots(statement: SqlStatement, values: SlotValues): unknown[] {
  return statement.params.map((param) => (param instanceof SlotParam ? slotValue(param.slot, values) : param));
}

function slotValue(slot: Slot, values: SlotValues): string | number {
  switch (slot.of) {
    case 'case_id':
      return values.caseId;
    case 'c_version':
      return values.version;
    case 'next_version':
      return values.version + 1;
    case 'live':
      return values.live[slot.index]!;
    case 'clock':
      return values.clocks[slot.index]!;
    case 'fresh':
      return values.fresh[slot.index]!;
    case 'window':
      return `window.${values.fresh[slot.index]!}`;
  }
}

/** The version the template is generated with, so that the version read and the next are parameters no other value equals. */
const STAND_IN_VERSION = -1_000_001;

/** Records the transaction's last statement instead of sending it; reads go to the database. */
class RecordingSession implements SqlSession {
  recorded: SqlStatement[] = [];

  constructor(private readonly bench: BenchApp) {}

  async all<T extends object>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.bench.sql<T>(toNumberedPlaceholders(sql).text, [...params]);
  }

  async batch(statements: readonly SqlStatement[]): Promise<object[][]> {
    const results: object[][] = [];
    for (const statement of statements) results.push(await this.all(statement.sql, statement.params));
    return results;
  }

  async last(statements: readonly SqlStatement[]): Promise<object[][]> {
    this.recorded.push(...statements);
    return [[{ version: STAND_IN_VERSION + 1 }]];
  }
}

const byCase = (sql: string): FloorStatement => floorStatement({ sql, params: ['case'] }, (value) => (value === 'case' ? { of: 'case_id' } : undefined));

/** A statement in both forms: its constant parameters written into its text, or kept apart; `slotOf` says which parameters are slots. */
function floorStatement(statement: SqlStatement, slotOf: (value: unknown) => Slot | undefined): FloorStatement {
  const parts = statement.sql.split('?');
  if (parts.length !== statement.params.length + 1) throw new Error(`statement has a "?" that is not a parameter: ${statement.sql.slice(0, 200)}`);
  const rendered: RenderedStatement = { pieces: [parts[0]!], slots: [] };
  const slotted: SqlStatement = { sql: statement.sql, params: [] };
  statement.params.forEach((value, index) => {
    const slot = slotOf(value);
    slotted.params.push(slot ? new SlotParam(slot) : value);
    if (slot) {
      rendered.slots.push(slot);
      rendered.pieces.push(parts[index + 1]!);
    } else {
      rendered.pieces[rendered.pieces.length - 1] += sqlLiteral(value) + parts[index + 1]!;
    }
  });
  return { rendered, slotted };
}

/** A constant parameter as an SQL literal (the simple protocol sends no parameters apart). */
function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return String(value);
  const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : JSON.stringify(value);
  return `'${text.replace(/'/g, "''")}'`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The SLA floor's statements, generated from `sampleCaseId`: a dispute in investigation.reviewing
 * under the default SLA policies, of the same shape as the cases the floor works on. Each branch's
 * write is recorded, not sent, from the case as the app reads it; between the two the app sends
 * the request for real (SendCaseEvent), so the answer's branch starts from the rows the request
 * left, and then the answer, so the case ends in investigation.reviewing again, two versions on.
 */
export async function buildSlaFloorScript(bench: BenchApp, sampleCaseId: string, agentId: string, now: Date): Promise<SlaFloorScript> {
  const session = new RecordingSession(bench);
  const sla = bench.get<SlaTracker>(SlaTracker);
  const actor: Actor = { kind: 'agent', id: agentId, role: 'agent' };
  const sender = senderOf(actor);
  const eventOf = (spec: { type: string; payload: object }): MachineEvent => ({ type: spec.type, ...spec.payload });

  const branch = async (state: typeof REVIEWING | typeof AWAITING_CUSTOMER) => {
    const locked = await lockCaseWithLiveDeadlines(session, sampleCaseId);
    if (!locked || locked.entity.state !== state) throw new Error(`SLA floor: ${sampleCaseId} is not a case in ${state}`);
    if (!locked.entity.slaPolicyId || locked.clocks.length === 0) throw new Error(`SLA floor: ${sampleCaseId} has no SLA clocks`);
    const version = locked.entity.version;
    const live = locked.live.map((deadline) => deadline.id);
    const clocks = locked.clocks.map((clock) => clock.id);
    locked.entity.version = STAND_IN_VERSION;
    const definition = definitionFor(locked.entity.kind, locked.entity.machineVersion);
    const transition = applyEvent(definition, locked.entity.snapshot as never, eventOf(LOOP_EVENTS[state]), sender);
    session.recorded = [];
    // In a request's context, as the API's command runs: its outbox rows carry the request id.
    await bench.inRequestContext(() => writeTransition(session, sla, locked, transition, actor, now));
    if (session.recorded.length !== 1) throw new Error(`SLA floor: expected one write, the app sent ${session.recorded.length}`);
    // New rows' ids: every id in the write that is not the case's, a row's it read, or the agent's.
    const fresh: string[] = [];
    const slotOf = (value: unknown): Slot | undefined => {
      if (value === sampleCaseId) return { of: 'case_id' };
      if (value === STAND_IN_VERSION) return { of: 'c_version' };
      if (value === STAND_IN_VERSION + 1) return { of: 'next_version' };
      if (typeof value !== 'string') return undefined;
      if (live.includes(value)) return { of: 'live', index: live.indexOf(value) };
      if (clocks.includes(value)) return { of: 'clock', index: clocks.indexOf(value) };
      const window = value.startsWith('window.') ? value.slice('window.'.length) : undefined;
      const id = window ?? value;
      if (!UUID.test(id) || id === agentId) return undefined;
      // A reminder of a window the case already had would need a slot for its live id.
      if (live.includes(id) || clocks.includes(id)) throw new Error(`SLA floor: ${value} names a row the command read; the script has no slot for that`);
      if (!fresh.includes(id)) fresh.push(id);
      return { of: window ? 'window' : 'fresh', index: fresh.indexOf(id) };
    };
    const write = floorStatement(session.recorded[0]!, slotOf);
    // The floor fills the live deadlines by the position its read returns them in: that only holds
    // if the write settles every one of them alike (one cancel of all that were read).
    const liveSlots = new Set(write.rendered.slots.flatMap((slot) => (slot.of === 'live' ? [slot.index] : [])));
    if (liveSlots.size !== live.length || locked.live.some((deadline) => deadline.status !== 'cancelled')) {
      throw new Error(`SLA floor: the ${state} branch does not cancel every live deadline it read; the floor's positional ids no longer hold`);
    }
    const sent = await bench.inRequestContext(() =>
      bench.get<SendCaseEvent>(SendCaseEvent).execute({ caseId: sampleCaseId, event: eventOf(LOOP_EVENTS[state]), expectedVersion: version }, actor),
    );
    if (!sent || sent.version !== version + 1) throw new Error(`SLA floor: the app did not move ${sampleCaseId} on from version ${version}`);
    return { branch: { write, live: live.length, clocks: clocks.length, fresh: fresh.length }, reviewingParity: version % 2 };
  };

  const request = await branch(REVIEWING);
  const provided = await branch(AWAITING_CUSTOMER);
  return {
    reviewingParity: request.reviewingParity,
    lockCase: byCase(LOCK_CASE_SQL),
    lockDeadlines: byCase(LOCK_LIVE_DEADLINES_SQL),
    readClocks: byCase(CASE_CLOCKS_SQL),
    request: request.branch,
    provided: provided.branch,
  };
}
