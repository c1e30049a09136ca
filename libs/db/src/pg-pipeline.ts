import { Query, type Client as PgConnection, type QueryConfig, type QueryResult } from 'pg';
// pg's own conversion of a parameter to its wire text (dates, arrays, JSON, buffers), as every pg query uses.
import { prepareValue } from 'pg/lib/utils';

/**
 * How SqlTransactions' sessions talk to PostgreSQL below pg's one-query-at-a-time API: several
 * statements in one round trip (Pipeline), and statements kept prepared on a connection under a
 * name (keptNamesFor), so that PostgreSQL does not plan them again at every call.
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

/**
 * A text is sent unnamed this many times in a process before it is kept: a statement that comes
 * once or twice is not worth a connection's memory.
 */
const USES_BEFORE_KEEPING = 3;
/** Texts counted (and named) in a process; past it, a new text is planned at each call, as any other. */
const TEXTS_COUNTED = 1_000;
/**
 * Statements a connection keeps at most: the one used least recently makes room. PostgreSQL holds
 * 0.1 to 0.35 MB for each (its source, its query and its generic plan; docs/benchmarks.md, round 22).
 */
const KEPT_PER_CONNECTION = 20;

/** Per text: the name it is kept under (the same on every connection of this process) and how often it came. */
const texts = new Map<string, { name: string; uses: number }>();
/** Per connection: the names it keeps (name → text), least recently used first. */
const keptOn = new WeakMap<PgConnection, Map<string, string>>();

/**
 * The name each statement is kept under on this connection ('' for one sent unnamed, planned at
 * that call), after parsing those the connection does not keep yet: one round trip each, with the
 * Close of any statement that makes room for it. A connection keeps a name only once PostgreSQL
 * has confirmed its Parse, so a statement that failed to parse is parsed again next time.
 */
export async function keptNamesFor(connection: PgConnection, statements: readonly WireStatement[]): Promise<string[]> {
  let kept = keptOn.get(connection);
  if (!kept) keptOn.set(connection, (kept = new Map<string, string>()));
  const names: string[] = [];
  for (const statement of statements) {
    const name = statement.keep ? nameToKeep(statement.text) : '';
    if (name !== '') {
      if (kept.has(name)) {
        // The most recently used goes last.
        kept.delete(name);
      } else {
        // The least recently used make room, but never one these statements are about to use.
        const evicted = [...kept.keys()].filter((old) => !names.includes(old)).slice(0, Math.max(0, kept.size + 1 - KEPT_PER_CONNECTION));
        // Forgotten before the Close goes: if the round trip fails, the connection is either gone or has closed them (Close runs before Parse).
        for (const old of evicted) kept.delete(old);
        await submit(connection, new ParseStatement(name, statement.text, evicted));
      }
      kept.set(name, statement.text);
    }
    names.push(name);
  }
  return names;
}

function nameToKeep(text: string): string {
  let seen = texts.get(text);
  if (!seen) {
    if (texts.size >= TEXTS_COUNTED) return '';
    texts.set(text, (seen = { name: `app_statement_${texts.size + 1}`, uses: 0 }));
  }
  seen.uses += 1;
  return seen.uses > USES_BEFORE_KEEPING ? seen.name : '';
}

/**
 * PostgreSQL refused a statement a connection keeps: its result changed (0A000, "cached plan must
 * not change result type", after a migration) or it is gone (26000). The connection must go.
 */
export function isStalePreparedStatement(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '26000' || (code === '0A000' && /cached plan/.test(String((error as Error).message)));
}

/**
 * Statements in one round trip: `begin` first if asked, then each statement's Bind/Describe/Execute
 * (after its Parse, unless the connection keeps it under a name), then `commit` if asked, then one
 * Sync (PostgreSQL's extended protocol, the one `pg` uses for every statement with parameters). If
 * one fails, PostgreSQL skips to the Sync, so neither the statements after it nor the commit run:
 * the transaction is left failed, as after any failed statement, for the caller's rollback. pg's
 * Query gathers the results (one per begin, statement and commit) and reports the first error.
 * Only `prepare` (what pg sends for a query) is replaced; test/e2e/sql-transactions.e2e-spec.ts
 * holds it to pg's behaviour.
 */
export class Pipeline extends Query {
  /** The statements' text, as the query log shows it. */
  readonly loggedAs: string;

  constructor(
    private readonly begin: boolean,
    private readonly statements: readonly WireStatement[],
    /** keptNamesFor's answer for these statements. */
    private readonly names: readonly string[],
    private readonly commit: boolean,
  ) {
    const text = statements.map((statement) => statement.text).join(';\n');
    // No `name`: pg would take it for one statement it parsed on this connection.
    super({ text, queryMode: 'extended' } as QueryConfig);
    this.loggedAs = text;
  }

  prepare(connection: PgProtocolConnection): void {
    if (this.begin) sendWithoutRows(connection, 'begin');
    this.statements.forEach((statement, index) => {
      const name = this.names[index]!;
      if (name === '') connection.parse({ text: statement.text, name: '', types: [] });
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

/** Closes the statements that make room, then parses one under its name; nothing runs. */
class ParseStatement extends Query {
  constructor(
    private readonly statementName: string,
    private readonly statementText: string,
    private readonly closing: readonly string[],
  ) {
    // Extended, so that pg hands the sending to `prepare`; no `name`, so that pg keeps no record of its own.
    super({ text: statementText, queryMode: 'extended' } as QueryConfig);
  }

  prepare(connection: PgProtocolConnection): void {
    for (const name of this.closing) connection.close({ type: 'S', name });
    connection.parse({ text: this.statementText, name: this.statementName, types: [] });
    connection.sync();
  }
}

/** The part of pg's connection (its protocol writer) these queries send with. */
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
