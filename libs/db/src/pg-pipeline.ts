import { createHash } from 'node:crypto';
import { Query, type Client as PgConnection, type QueryConfig, type QueryResult } from 'pg';
// pg's own conversion of a parameter to its wire text (dates, arrays, JSON, buffers), as every pg query uses.
import { prepareValue } from 'pg/lib/utils';

/**
 * How SqlTransactions' sessions talk to PostgreSQL below pg's one-query-at-a-time API: several
 * statements in one round trip (Pipeline), some of them kept prepared on the connection under a
 * name (keptPlanFor), so that PostgreSQL does not parse and analyse them again at every call, and,
 * once it settles on a generic plan (it may after five calls), does not plan them either.
 */

/** A statement as it goes on the wire: numbered placeholders, values as their wire text. */
export interface WireStatement {
  text: string;
  values: unknown[];
  /** The caller asked for it to be kept prepared (SqlStatement.prepared). */
  keep: boolean;
}

export function wireStatement(text: string, params: readonly unknown[], keep: boolean): WireStatement {
  // Values are turned into their wire text here, before anything is written: a value pg cannot
  // send throws now, not halfway through the messages (which would leave the connection waiting).
  return { text, values: params.map((value) => prepareValue(value)), keep };
}

/** A text is sent unnamed this many times on a connection before the connection keeps it: one that comes once or twice is not worth its memory. */
const USES_BEFORE_KEEPING = 3;
/**
 * Statements a connection keeps at most: the one used least recently makes room. PostgreSQL holds
 * 0.1 to 0.35 MB for each (its source, its query and its generic plan; docs/benchmarks.md, round 22).
 */
const KEPT_PER_CONNECTION = 20;
/** Texts a connection counts uses of, before it starts counting afresh. */
const TEXTS_COUNTED_PER_CONNECTION = 200;

/**
 * Bumped when PostgreSQL refuses a kept statement (forgetKeptStatements): every connection of the
 * process closes what it keeps before its next statement, rather than each failing a command
 * first (a round trip already on its way when it is bumped still fails).
 */
let generation = 0;

/** What one connection keeps, and how often it saw the texts it does not keep yet. */
interface ConnectionStatements {
  generation: number;
  /** Names kept (name → text), least recently used first. */
  kept: Map<string, string>;
  uses: Map<string, number>;
  /** Names parsed in a round trip that failed (PostgreSQL may hold them, unrecorded): closed with the next one. */
  closeNext: Set<string>;
}

const statementsOn = new WeakMap<PgConnection, ConnectionStatements>();

/** What `Pipeline` sends for kept statements: which to close first, and which to parse before binding. */
export interface KeptPlan {
  /** Per statement: the name it is bound by ('' for one sent unnamed, planned at that call). */
  names: string[];
  /** Names to parse in this round trip (after a Close of the same name: parsing again is then always safe). */
  parse: Set<string>;
  /** Names closed first: to make room, after the generation changed, or parsed in a round trip that failed. */
  close: string[];
  /** Records the parsed names as kept, once the round trip has succeeded. */
  succeeded(): void;
  /** After a round trip that failed: its parsed names are closed with the next one. */
  failed(): void;
  /** Whether a statement the connection already kept is bound (not only one parsed in this round trip). */
  bindsKept: boolean;
}

/**
 * The names these statements go by on this connection. A kept statement is parsed in the very
 * round trip that first binds it, after a Close of its name, so nothing is sent on its own and a
 * Parse that did not complete (an error earlier in the round trip, a timeout) is simply sent again
 * next time; the connection counts it as kept only once the round trip has succeeded.
 * Names are a hash of the text: the same name always means the same statement, in any process.
 */
export function keptPlanFor(connection: PgConnection, statements: readonly WireStatement[]): KeptPlan {
  let state = statementsOn.get(connection);
  if (!state) statementsOn.set(connection, (state = { generation, kept: new Map(), uses: new Map(), closeNext: new Set() }));
  const close: string[] = [...state.closeNext];
  state.closeNext.clear();
  if (state.generation !== generation) {
    close.push(...state.kept.keys());
    state.kept.clear();
    state.generation = generation;
  }
  const names: string[] = [];
  const parse = new Map<string, string>();
  for (const statement of statements) {
    const name = statement.keep ? nameToUse(state, statement.text) : '';
    names.push(name);
    if (name === '') continue;
    if (state.kept.has(name)) {
      // The most recently used goes last.
      state.kept.delete(name);
      state.kept.set(name, statement.text);
    } else {
      parse.set(name, statement.text);
    }
  }
  // The least recently used make room, but never one these statements are about to bind.
  const room = state.kept.size + parse.size - KEPT_PER_CONNECTION;
  if (room > 0) {
    for (const old of [...state.kept.keys()].filter((kept) => !names.includes(kept)).slice(0, room)) {
      state.kept.delete(old);
      close.push(old);
    }
  }
  const { kept, uses, closeNext } = state;
  return {
    names,
    parse: new Set(parse.keys()),
    close,
    succeeded: () => {
      for (const [name, text] of parse) {
        kept.set(name, text);
        uses.delete(text);
      }
    },
    failed: () => {
      for (const name of parse.keys()) closeNext.add(name);
    },
    bindsKept: names.some((name) => name !== '' && !parse.has(name)),
  };
}

function nameToUse(state: ConnectionStatements, text: string): string {
  const name = nameOf(text);
  if (state.kept.has(name)) return name;
  if (state.uses.size >= TEXTS_COUNTED_PER_CONNECTION && !state.uses.has(text)) state.uses.clear();
  const uses = (state.uses.get(text) ?? 0) + 1;
  state.uses.set(text, uses);
  return uses > USES_BEFORE_KEEPING ? name : '';
}

/** Names by text, so that a statement's hash is not computed at every call. */
const NAMES = new Map<string, string>();

function nameOf(text: string): string {
  let name = NAMES.get(text);
  if (name === undefined) {
    name = `app_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
    if (NAMES.size >= 1_000) NAMES.clear();
    NAMES.set(text, name);
  }
  return name;
}

/**
 * Whether a round trip that bound statements the connection already kept failed because of what
 * it keeps: a kept statement's result changed (0A000, from RevalidateCachedQuery, after a
 * migration), it is gone (26000), or it no longer fits the schema (class 42: a kept statement
 * keeps the parameter types it was parsed with, so a retyped column fails it at every call). Such
 * a connection must go, and the process's other connections must close what they keep
 * (forgetKeptStatements). A class 42 error from another statement of the same round trip is taken
 * the same way: it costs reconnecting and preparing again, not a wrong answer.
 */
export function isStalePreparedStatement(error: unknown): boolean {
  const { code, routine } = (error ?? {}) as { code?: unknown; routine?: unknown };
  if (typeof code !== 'string') return false;
  return code === '26000' || code.startsWith('42') || (code === '0A000' && routine === 'RevalidateCachedQuery');
}

/** Makes every connection of this process close what it keeps before its next statement. */
export function forgetKeptStatements(): void {
  generation += 1;
}

/**
 * Statements in one round trip: the Closes of statements that make room, `begin` if asked, then
 * each statement's Bind/Describe/Execute (after its Parse: unnamed, or under its name the first
 * time the connection keeps it), then `commit` if asked, then one Sync (PostgreSQL's extended
 * protocol, the one `pg` uses for every statement with parameters). If one fails, PostgreSQL skips
 * to the Sync, so neither the statements after it nor the commit run: the transaction is left
 * failed, as after any failed statement, for the caller's rollback. pg's Query gathers the results
 * (one per begin, statement and commit: a Parse or Close answers none) and reports the first error.
 * Only `prepare` (what pg sends for a query) is replaced; test/e2e/sql-transactions.e2e-spec.ts
 * holds it to pg's behaviour.
 */
export class Pipeline extends Query {
  /** The statements' text, as the query log shows it. */
  readonly loggedAs: string;

  constructor(
    private readonly begin: boolean,
    private readonly statements: readonly WireStatement[],
    private readonly kept: Pick<KeptPlan, 'names' | 'parse' | 'close'>,
    private readonly commit: boolean,
  ) {
    const text = statements.map((statement) => statement.text).join(';\n');
    // No `name`: pg would take it for one statement it parsed on this connection.
    super({ text, queryMode: 'extended' } as QueryConfig);
    this.loggedAs = text;
  }

  prepare(connection: PgProtocolConnection): void {
    try {
      this.send(connection);
    } catch (error) {
      // pg does not catch here: without a Sync the connection would wait for ever. The Sync ends
      // what went out (the caller rolls back), and pg reports the error once PostgreSQL is ready.
      (this as unknown as { _canceledDueToError: unknown })._canceledDueToError = error;
      connection.sync();
    }
  }

  private send(connection: PgProtocolConnection): void {
    // First, so that they run whatever fails after them.
    for (const name of this.kept.close) connection.close({ type: 'S', name });
    if (this.begin) sendWithoutRows(connection, 'begin');
    const toParse = new Set(this.kept.parse);
    this.statements.forEach((statement, index) => {
      const name = this.kept.names[index]!;
      if (name === '' || toParse.delete(name)) {
        if (name !== '') connection.close({ type: 'S', name });
        connection.parse({ text: statement.text, name, types: [] });
      }
      connection.bind({ portal: '', statement: name, values: statement.values });
      connection.describe({ type: 'P', name: '' });
      connection.execute({ portal: '', rows: undefined });
    });
    if (this.commit) sendWithoutRows(connection, 'commit');
    connection.sync();
  }
}

function sendWithoutRows(connection: PgProtocolConnection, text: string): void {
  connection.parse({ text, name: '', types: [] });
  connection.bind({ portal: '', statement: '', values: [] });
  connection.execute({ portal: '', rows: undefined });
}

/** The part of pg's connection (its protocol writer) Pipeline sends with. */
interface PgProtocolConnection {
  parse(config: { text: string; name: string; types: unknown[] }): void;
  bind(config: { portal: string; statement: string; values: unknown[] }): void;
  describe(config: { type: 'P'; name: string }): void;
  execute(config: { portal: string; rows: undefined }): void;
  close(config: { type: 'S'; name: string }): void;
  sync(): void;
}

/** A pg Query handed to the connection (pg then returns the query itself, not a promise), as a promise of its results. */
export function submit(connection: PgConnection, query: Query): Promise<QueryResult[]> {
  return new Promise((resolve, reject) => {
    const callback = (error: Error | null, results: QueryResult | QueryResult[]) => {
      if (error) reject(error);
      else resolve(Array.isArray(results) ? results : [results]);
    };
    // The callback as pg's second argument (pg sets it on the query): whatever wraps Client#query (tracing, the benchmark's counters) sees the call end.
    // (pg returns the query object here, not a promise: `void` only says so to the type checker.)
    void connection.query(query as unknown as string, callback as never);
  });
}
