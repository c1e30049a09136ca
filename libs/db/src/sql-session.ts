import { MikroORM } from '@mikro-orm/core';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Client as PgConnection, QueryResult } from 'pg';
import { forgetKeptStatements, isStalePreparedStatement, keptPlanFor, Pipeline, submit, wireStatement } from './pg-pipeline';

/**
 * Plain SQL inside one transaction, whichever way the transaction was opened: `?` placeholders
 * (by MikroORM's rules: toNumberedPlaceholders), rows back, and PostgreSQL's errors converted to
 * MikroORM's exceptions (DeadlockException, UniqueConstraintViolationException, …) so that
 * callers recognise conflicts the same way on both paths.
 */
export interface SqlSession {
  all<T extends object>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /**
   * Statements sent together, in one round trip on the pooled path (with the transaction's `begin`
   * when they are its first): PostgreSQL runs each after the one before it has finished, each with
   * a snapshot of its own (under READ COMMITTED), as if they were sent one by one; if one fails,
   * the ones after it do not run. The rows of each, in order. Outside a transaction (a `read`
   * session) they run as one implicit transaction: one that fails undoes the ones before it.
   */
  batch(statements: readonly SqlStatement[]): Promise<object[][]>;
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
  /**
   * Keep it prepared on the pooled connections (batch and last on SqlTransactions' sessions), so
   * that PostgreSQL does not parse and analyse it again at every call, nor plan it once it settles
   * on a generic plan (it may after five calls; it did for the command path's reads): for the
   * statements every event sends, whose planning cost PostgreSQL as much as running them or more
   * (the case view's extras: 0.5 ms to plan, 0.09 ms to run; docs/benchmarks.md, round 22). A
   * connection keeps a text from its fourth use on, and at most 20 (the least recently used makes
   * room: pg-pipeline.ts), so a text that varies costs some memory, not a leak. Never `select *`: a
   * column a migration adds would change the kept statement's result, which PostgreSQL refuses.
   * When PostgreSQL refuses a kept statement (a migration changed what it reads), the connection
   * that sent it is dropped, the process's other connections close what they keep before their
   * next statement, and SqlTransactions.run runs the transaction's work once more on a connection
   * that parses afresh: after a column was retyped, the command that found out does not fail.
   */
  prepared?: boolean;
}

/** The first statement of a read at one snapshot (SqlTransactions.readAtOneSnapshot): set before any read, as PostgreSQL requires. */
const ONE_READ_ONLY_SNAPSHOT: SqlStatement = { sql: 'set transaction isolation level repeatable read, read only', params: [] };

/** SQL in the transaction an EntityManager is in (or none): for steps composed with entity writes. */
export function sqlSessionOf(em: EntityManager): SqlSession {
  // As on the pooled path, nothing may follow the last statements: a step that works in tests run
  // through an entity manager must not break on the pooled path, where the commit went with them.
  let ended = false;
  const all = async <T extends object>(sql: string, params: readonly unknown[] = []): Promise<T[]> => {
    if (ended) throw statementAfterLast(sql);
    return em.getConnection().execute<T[]>(sql, params as unknown[], 'all', em.getTransactionContext<Knex.Transaction>());
  };
  const oneByOne = async (statements: readonly SqlStatement[]): Promise<object[][]> => {
    const results: object[][] = [];
    for (const statement of statements) results.push(await all(statement.sql, statement.params));
    return results;
  };
  return {
    all,
    batch: (statements) => oneByOne(statements),
    async last(statements) {
      const results = await oneByOne(statements);
      ended = true;
      return results;
    },
  };
}

/**
 * Transactions on a connection taken straight from MikroORM's pool, for the command path every
 * event takes and for the reads that show a case (readAtOneSnapshot). `em.transactional` costs
 * about 0.4 ms of CPU more per transaction than the same statements on the pooled `pg` connection
 * (a fork, knex's transaction machinery, an empty flush, every parameter formatted into the SQL
 * text): on a transition's 2 ms that was the largest single cost left (docs/benchmarks.md, rounds
 * 8 and 9). Nothing run here goes through the unit of work, so a step that needs entities takes
 * `em.transactional` and `sqlSessionOf`.
 *
 * The transaction's `begin` goes out with its first statements when they are a batch (the
 * command's lock: begin, case row, live deadlines, SLA clocks in one round trip), and its `commit`
 * with its last statements when they are sent as `last` (the command's one write; a `last` that is
 * also the first takes both: readAtOneSnapshot is one round trip); every round trip costs the API
 * more CPU (a socket write, a wake-up, a parse) than PostgreSQL spends on these statements. Statements marked `prepared` are parsed once per connection, under a name, in the
 * round trip that first binds them, and then only bound and run (pg-pipeline.ts).
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

  /**
   * `work` in a transaction of its own. If PostgreSQL refused a statement the connection kept
   * because the database changed under it (a migration while the process runs:
   * isStalePreparedStatement), the work runs once more, from the start, on another connection:
   * nothing of the first attempt committed (the refusal ends its round trip before the commit that
   * goes with it), so the work must write only through `sql` and keep nothing of an attempt but
   * what it returns, as every caller's work does (lock, decide, write). A statement that no longer
   * parses at all (a column it reads was dropped) fails the second attempt too. Any class 42 error
   * in a round trip that bound a kept statement counts as such a refusal (isStalePreparedStatement),
   * so a statement with a genuine mistake beside a kept one runs twice before it fails.
   */
  async run<T>(work: (sql: SqlSession) => Promise<T>): Promise<T> {
    try {
      return await this.attempt(work);
    } catch (error) {
      if (!refusedAsStale.has(error as object)) throw error;
      return this.attempt(work);
    }
  }

  /**
   * Reads that must all see one snapshot (a view built of several tables: a commit landing between
   * two of them would show half of it), in one round trip: begin, REPEATABLE READ and read-only,
   * the statements, commit. The rows of each, in order. A write among them is refused (read-only).
   */
  async readAtOneSnapshot(statements: readonly SqlStatement[]): Promise<object[][]> {
    const [, ...rows] = await this.run((sql) => sql.last([ONE_READ_ONLY_SNAPSHOT, ...statements]));
    return rows;
  }

  private attempt<T>(work: (sql: SqlSession) => Promise<T>): Promise<T> {
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
          dispose(connection, error);
        }
        throw error;
      }
    });
  }

  /** Statements outside a transaction, on a pooled connection: a read after a command's commit. */
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
 * first statement and `commit` with its `last` one (or on its own at the end). For one caller at a
 * time, as a transaction is: statements are sent one after the other, never concurrently.
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

  async batch(statements: readonly SqlStatement[]): Promise<object[][]> {
    if (statements.length === 0) return [];
    return this.together(statements, false);
  }

  async last(statements: readonly SqlStatement[]): Promise<object[][]> {
    if (statements.length === 0) throw new Error("the transaction's last statements: none given");
    // Outside a transaction there is no commit to send with them.
    return this.together(statements, this.inTransaction);
  }

  /** The statements in one round trip, after `begin` if none went out yet, and before `commit` if asked. */
  private async together(statements: readonly SqlStatement[], commit: boolean): Promise<object[][]> {
    this.refuseAfterCommit(statements[0]!.sql);
    // Built before anything is sent: a statement or a value that cannot go throws here, and the caller rolls back.
    const wire = statements.map((statement) =>
      // As `all` (and MikroORM): a statement without parameters goes as it is.
      wireStatement(statement.params.length ? numberedFor(statement.sql, statement.params).text : statement.sql, statement.params, statement.prepared === true),
    );
    const kept = keptPlanFor(this.connection, wire);
    const begin = !this.begun;
    this.begun = true;
    if (commit) this.committed = true;
    const query = new Pipeline(begin, wire, kept, commit);
    let results: QueryResult[];
    try {
      results = await this.run(
        () => submit(this.connection, query),
        query.loggedAs,
        statements.flatMap((statement) => statement.params),
      );
    } catch (error) {
      kept.failed();
      if (kept.bindsKept && isStalePreparedStatement(error)) {
        // What the connections keep no longer fits the database (a migration): this one goes, and
        // the process's others close what they keep before their next statement.
        dispose(this.connection, error);
        forgetKeptStatements();
        refusedAsStale.add(error as object);
      }
      throw error;
    }
    kept.succeeded();
    const first = begin ? 1 : 0;
    // One result per begin, statement and commit; a statement that answered no result (an empty one) would shift the rows.
    if (results.length !== first + statements.length + (commit ? 1 : 0)) {
      throw new Error(`${statements.length} statements${begin ? ' after begin' : ''}${commit ? ' and a commit' : ''} answered ${results.length} results`);
    }
    return results.slice(first, first + statements.length).map((result) => result.rows as object[]);
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

  /** A round trip, logged as `sql` (when the query log is on), its error converted. */
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
 * Errors of a round trip that PostgreSQL refused because a kept statement no longer fits the
 * database: SqlTransactions.run tries its work once more. By identity, so that nothing else can
 * pass for one.
 */
const refusedAsStale = new WeakSet<object>();

/** knex's pool drops a connection marked this way instead of handing it out again. */
function dispose(connection: PgConnection, reason: unknown): void {
  (connection as PooledConnection).__knex__disposed = reason;
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
