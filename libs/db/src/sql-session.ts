import { MikroORM } from '@mikro-orm/core';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Query, type Client as PgConnection, type QueryConfig, type QueryResult } from 'pg';
// pg's own conversion of a parameter to its wire text (dates, arrays, JSON, buffers), as every pg query uses.
import { prepareValue } from 'pg/lib/utils';

/**
 * Plain SQL inside one transaction, whichever way the transaction was opened: `?` placeholders
 * (by MikroORM's rules: toNumberedPlaceholders), rows back, and PostgreSQL's errors converted to
 * MikroORM's exceptions (DeadlockException, UniqueConstraintViolationException, …) so that
 * callers recognise conflicts the same way on both paths.
 */
export interface SqlSession {
  all<T extends object>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /**
   * Statements without parameters (values written into them, so only values the caller has
   * checked, such as a validated uuid), sent in one round trip on the pooled path: PostgreSQL runs
   * each after the one before it has finished, each with a snapshot of its own (under READ
   * COMMITTED), exactly as if they were sent one by one. The rows of each, in order.
   */
  batch(statements: readonly string[]): Promise<object[][]>;
  /**
   * The transaction's last statements, in order (each sees what the ones before it wrote); the rows
   * of each, in order. Where the session owns its transaction (SqlTransactions.run), the commit
   * goes out with them, in the same round trip: if one of them fails, the commit does not run and
   * that error (or the commit's own) is the rejection. A connection lost after sending, or a row
   * pg cannot parse, also rejects, though the commit may have run (as with any commit whose answer
   * is lost). The session takes no statement after them, on either path. In a transaction someone
   * else commits (sqlSessionOf: em.transactional), they run one by one and the owner commits.
   */
  last(statements: readonly SqlStatement[]): Promise<object[][]>;
}

/** A statement with `?` placeholders (as MikroORM's connection takes them) and its parameters. */
export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/** SQL in the transaction an EntityManager is in (or none): for steps composed with entity writes. */
export function sqlSessionOf(em: EntityManager): SqlSession {
  // As on the pooled path, nothing may follow the last statements: a step that works in tests run
  // through an entity manager must not break on the pooled path, where the commit went with them.
  let ended = false;
  const all = async <T extends object>(sql: string, params: readonly unknown[] = []): Promise<T[]> => {
    if (ended) throw statementAfterLast(sql);
    return em.getConnection().execute<T[]>(sql, params as unknown[], 'all', em.getTransactionContext<Knex.Transaction>());
  };
  return {
    all,
    async batch(statements) {
      const results: object[][] = [];
      for (const statement of statements) results.push(await all(statement));
      return results;
    },
    async last(statements) {
      const results: object[][] = [];
      for (const statement of statements) results.push(await all(statement.sql, statement.params));
      ended = true;
      return results;
    },
  };
}

/**
 * Transactions on a connection taken straight from MikroORM's pool, for the command path every
 * event takes. `em.transactional` costs about 0.4 ms of CPU more per transaction than the same
 * statements on the pooled `pg` connection (a fork, knex's transaction machinery, an empty flush,
 * every parameter formatted into the SQL text): on a transition's 2 ms that was the largest single
 * cost left (docs/benchmarks.md, rounds 8 and 9). Nothing run here goes through the unit of work,
 * so a step that needs entities takes `em.transactional` and `sqlSessionOf` instead.
 *
 * The transaction's `begin` goes out with its first statement when that is a batch (the command's
 * lock: begin, case row, live deadlines, SLA clocks in one round trip), and its `commit` with its
 * last statement when that is sent as `last` (the command's one write); every round trip costs the
 * API more CPU (a socket write, a wake-up, a parse) than PostgreSQL spends on these statements.
 *
 * Same pool, same connections, same type parsers as MikroORM (timestamps come back as text,
 * bigints as strings), so a row reads the same on either path; statements are logged through
 * MikroORM's query logger when it is on (DATABASE_DEBUG).
 */
@Injectable()
export class SqlTransactions {
  constructor(private readonly orm: MikroORM) {}

  /** Looked up each time: a reconnect (orm.connect()) makes a new knex and pool. */
  private get knexClient(): KnexClient {
    return (this.orm.em as EntityManager).getConnection().getKnex().client as unknown as KnexClient;
  }

  async run<T>(work: (sql: SqlSession) => Promise<T>): Promise<T> {
    return this.onPooledConnection(async (connection) => {
      const session = new PooledSession(connection, this.orm, true);
      try {
        const result = await work(session);
        await session.commit();
        return result;
      } catch (error) {
        try {
          // Also when `begin` itself may not have gone out: outside a transaction this is only a warning.
          await connection.query('rollback');
        } catch {
          // The connection is gone or unusable: the pool must not hand it out again.
          (connection as PooledConnection).__knex__disposed = error;
        }
        throw error;
      }
    });
  }

  /** Statements outside a transaction (each one on its own), on a pooled connection: a read after a command's commit. */
  async read<T>(work: (sql: SqlSession) => Promise<T>): Promise<T> {
    return this.onPooledConnection((connection) => work(new PooledSession(connection, this.orm, false)));
  }

  private async onPooledConnection<T>(work: (connection: PgConnection) => Promise<T>): Promise<T> {
    const connection = await this.knexClient.acquireConnection();
    try {
      return await work(connection);
    } finally {
      await this.knexClient.releaseConnection(connection);
    }
  }
}

/**
 * A session on one pooled connection; in a transaction, `begin` is sent with (or just before) its
 * first statement and `commit` with its `last` one (or on its own at the end).
 */
class PooledSession implements SqlSession {
  /** Whether `begin` went out (nothing to commit otherwise); true from the start outside a transaction. */
  private begun: boolean;
  /** Whether the commit went out (with `last`): no statement may follow it. */
  private committed = false;

  constructor(
    private readonly connection: PgConnection,
    private readonly orm: MikroORM,
    private readonly inTransaction: boolean,
  ) {
    this.begun = !inTransaction;
  }

  /** Ends the transaction, if a statement began it and `last` did not end it already. */
  async commit(): Promise<void> {
    if (this.inTransaction && this.begun && !this.committed) await this.send('commit', []);
  }

  async all<T extends object>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    this.refuseAfterCommit(sql);
    await this.beginFirst();
    // As MikroORM: a statement without parameters goes as it is.
    if (params.length === 0) return this.send<T>(sql, params);
    const numbered = numberedFor(sql, params);
    return this.send<T>(numbered.text, params);
  }

  async last(statements: readonly SqlStatement[]): Promise<object[][]> {
    if (!this.inTransaction) return this.allOneByOne(statements);
    if (statements.length === 0) throw new Error("the transaction's last statements: none given");
    this.refuseAfterCommit(statements[0]!.sql);
    // Built before anything is sent: a statement or a value that cannot go throws here, and the caller rolls back.
    const query = new StatementsThenCommit(statements.map((statement) => ({ text: numberedFor(statement.sql, statement.params).text, values: statement.params })));
    await this.beginFirst();
    this.committed = true;
    const results = await this.run(
      () => submit(this.connection, query),
      query.loggedAs,
      statements.flatMap((statement) => statement.params),
    );
    // One result per statement, then COMMIT's; a statement that answered no result (an empty one) would shift the rows.
    if (results.length !== statements.length + 1) throw new Error(`${statements.length} statements and a commit answered ${results.length} results`);
    return results.slice(0, statements.length).map((result) => result.rows as object[]);
  }

  private async allOneByOne(statements: readonly SqlStatement[]): Promise<object[][]> {
    const results: object[][] = [];
    for (const statement of statements) results.push(await this.all(statement.sql, statement.params));
    return results;
  }

  async batch(statements: readonly string[]): Promise<object[][]> {
    if (statements.length === 0) return [];
    this.refuseAfterCommit(statements[0]!);
    const begin = !this.begun;
    this.begun = true;
    const script = [...(begin ? ['begin'] : []), ...statements].join(';\n');
    const results = await this.run(() => this.connection.query(script) as unknown as Promise<QueryResult | QueryResult[]>, script, []);
    const list = Array.isArray(results) ? results : [results];
    return list.slice(begin ? 1 : 0).map((result) => result.rows as object[]);
  }

  private refuseAfterCommit(sql: string): void {
    // A statement after the commit would run in a transaction of its own, outside the one it belongs to.
    if (this.committed) throw statementAfterLast(sql);
  }

  private async send<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    const result = await this.run(() => this.connection.query(sql, params as unknown[]), sql, params);
    return result.rows as T[];
  }

  private async beginFirst(): Promise<void> {
    if (this.begun) return;
    this.begun = true;
    await this.send('begin', []);
  }

  private async run<R extends QueryResult | QueryResult[]>(query: () => Promise<R>, sql: string, params: readonly unknown[]): Promise<R> {
    const logger = this.orm.config.getLogger();
    const started = logger.isEnabled('query') ? Date.now() : 0;
    try {
      const result = await query();
      if (started) logger.logQuery({ query: sql, params: params as unknown[], took: Date.now() - started });
      return result;
    } catch (error) {
      throw isDatabaseError(error) ? this.orm.em.getDriver().convertException(error) : error;
    }
  }
}

/**
 * Statements and then `commit`, in one round trip: each statement's Parse/Bind/Describe/Execute,
 * then `commit`'s Parse/Bind/Execute, then one Sync (PostgreSQL's extended protocol, the one `pg`
 * uses for every statement with parameters). If a statement fails, PostgreSQL skips to the Sync,
 * so neither the statements after it nor the commit run: the transaction is left failed, as after
 * any failed statement, for the caller's rollback. pg's Query gathers the results (one per
 * statement, then COMMIT's) and reports the first error. Only `prepare` (what pg sends for a query)
 * is replaced; test/e2e/sql-transactions.e2e-spec.ts holds it to pg's behaviour.
 */
class StatementsThenCommit extends Query {
  private readonly statements: ReadonlyArray<{ text: string; values: unknown[] }>;
  /** The statements' text, as the query log shows it. */
  readonly loggedAs: string;

  constructor(statements: ReadonlyArray<{ text: string; values: readonly unknown[] }>) {
    const text = statements.map((statement) => statement.text).join(';\n');
    super({ text, queryMode: 'extended' } as QueryConfig);
    this.loggedAs = text;
    // Values are turned into their wire text here, before anything is written: a value pg cannot
    // send throws now, not halfway through the messages (which would leave the connection waiting).
    this.statements = statements.map((statement) => ({ text: statement.text, values: statement.values.map((value) => prepareValue(value)) }));
  }

  prepare(connection: PgProtocolConnection): void {
    for (const statement of this.statements) {
      connection.parse({ text: statement.text, name: '', types: [] });
      connection.bind({ portal: '', statement: '', values: statement.values });
      connection.describe({ type: 'P', name: '' });
      connection.execute({ portal: '', rows: undefined });
    }
    connection.parse({ text: 'commit', name: '', types: [] });
    connection.bind({ portal: '', statement: '', values: [] });
    connection.execute({ portal: '', rows: undefined });
    connection.sync();
  }
}

/** The part of pg's connection (its protocol writer) StatementsThenCommit sends with. */
interface PgProtocolConnection {
  parse(config: { text: string; name: string; types: unknown[] }): void;
  bind(config: { portal: string; statement: string; values: unknown[] }): void;
  describe(config: { type: 'P'; name: string }): void;
  execute(config: { portal: string; rows: undefined }): void;
  sync(): void;
}

/** A pg Query handed to the connection (pg then returns the query itself, not a promise), as a promise of its results. */
function submit(connection: PgConnection, query: Query): Promise<QueryResult[]> {
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

function statementAfterLast(sql: string): Error {
  return new Error(`a statement after the transaction's last one (its commit went with it): ${sql.slice(0, 80)}`);
}

function numberedFor(sql: string, params: readonly unknown[]): NumberedStatement {
  const numbered = toNumberedPlaceholders(sql);
  if (numbered.placeholders !== params.length) {
    throw new Error(`the statement has ${numbered.placeholders} placeholders and ${params.length} parameters: ${sql.slice(0, 80)}`);
  }
  return numbered;
}

interface KnexClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<void>;
}

/** knex's pool drops a connection marked this way instead of handing it out. */
type PooledConnection = PgConnection & { __knex__disposed?: unknown };

/** An error PostgreSQL sent (it has an SQLSTATE), as opposed to one of ours passing through. */
function isDatabaseError(error: unknown): error is Error & { code: string } {
  if (!(error instanceof Error) || !('severity' in error)) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

const NUMBERED = new Map<string, NumberedStatement>();
const NUMBERED_CACHE_LIMIT = 1_000;

interface NumberedStatement {
  text: string;
  placeholders: number;
}

/**
 * `?` placeholders to PostgreSQL's `$1, $2, …`, by MikroORM's own rules (Platform.formatQuery), so
 * a statement means the same on both paths: every `?` is one, wherever it stands (in a string or
 * a comment too: write `\?` for a literal one); `??` (an identifier) is not supported here. The few
 * shapes the command path sends are kept converted.
 */
export function toNumberedPlaceholders(sql: string): NumberedStatement {
  const cached = NUMBERED.get(sql);
  if (cached !== undefined) return cached;
  let text = '';
  let placeholders = 0;
  let from = 0;
  for (let at = sql.indexOf('?'); at !== -1; at = sql.indexOf('?', at + 1)) {
    if (sql[at - 1] === '\\') {
      text += `${sql.slice(from, at - 1)}?`;
    } else if (sql[at + 1] === '?') {
      throw new Error(`?? (an identifier placeholder) is not supported on a pooled session: ${sql.slice(0, 80)}`);
    } else {
      text += `${sql.slice(from, at)}$${++placeholders}`;
    }
    from = at + 1;
  }
  text += sql.slice(from);
  const numbered = { text, placeholders };
  if (NUMBERED.size < NUMBERED_CACHE_LIMIT) NUMBERED.set(sql, numbered);
  return numbered;
}
