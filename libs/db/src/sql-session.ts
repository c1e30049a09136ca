import { MikroORM } from '@mikro-orm/core';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Client as PgConnection } from 'pg';

/**
 * Plain SQL inside one transaction, whichever way the transaction was opened: `?` placeholders
 * (as MikroORM's `execute` takes them), rows back, and PostgreSQL's errors converted to
 * MikroORM's exceptions (DeadlockException, UniqueConstraintViolationException, …) so that
 * callers recognise conflicts the same way on both paths.
 */
export interface SqlSession {
  all<T extends object>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/** SQL in the transaction an EntityManager is in (or none): for steps composed with entity writes. */
export function sqlSessionOf(em: EntityManager): SqlSession {
  return {
    all: <T extends object>(sql: string, params: readonly unknown[] = []) =>
      em.getConnection().execute<T[]>(sql, params as unknown[], 'all', em.getTransactionContext<Knex.Transaction>()),
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
 * Same pool, same connections, same type parsers as MikroORM (timestamps come back as text,
 * bigints as strings), so a row reads the same on either path; statements are logged through
 * MikroORM's query logger when it is on (DATABASE_DEBUG).
 */
@Injectable()
export class SqlTransactions {
  private readonly knexClient: KnexClient;

  constructor(private readonly orm: MikroORM) {
    this.knexClient = (orm.em as EntityManager).getConnection().getKnex().client as unknown as KnexClient;
  }

  async run<T>(work: (sql: SqlSession) => Promise<T>): Promise<T> {
    const connection = await this.knexClient.acquireConnection();
    const session = this.sessionOn(connection);
    try {
      await this.query(connection, 'begin', []);
      const result = await work(session);
      await this.query(connection, 'commit', []);
      return result;
    } catch (error) {
      try {
        await connection.query('rollback');
      } catch {
        // The connection is gone or unusable: the pool must not hand it out again.
        (connection as PooledConnection).__knex__disposed = error;
      }
      throw error;
    } finally {
      await this.knexClient.releaseConnection(connection);
    }
  }

  /** Statements outside a transaction (each one on its own), on a pooled connection: a read after a command's commit. */
  async read<T>(work: (sql: SqlSession) => Promise<T>): Promise<T> {
    const connection = await this.knexClient.acquireConnection();
    try {
      return await work(this.sessionOn(connection));
    } finally {
      await this.knexClient.releaseConnection(connection);
    }
  }

  private sessionOn(connection: PgConnection): SqlSession {
    return { all: <T extends object>(sql: string, params: readonly unknown[] = []) => this.query<T>(connection, toNumberedPlaceholders(sql), params) };
  }

  private async query<T>(connection: PgConnection, sql: string, params: readonly unknown[]): Promise<T[]> {
    const logger = this.orm.config.getLogger();
    const started = logger.isEnabled('query') ? Date.now() : 0;
    try {
      const result = await connection.query(sql, params as unknown[]);
      if (started) logger.logQuery({ query: sql, params: params as unknown[], took: Date.now() - started, results: result.rowCount ?? 0 });
      return result.rows as T[];
    } catch (error) {
      throw isDatabaseError(error) ? this.orm.em.getDriver().convertException(error) : error;
    }
  }
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

const NUMBERED = new Map<string, string>();
const NUMBERED_CACHE_LIMIT = 1_000;

/**
 * `?` placeholders to PostgreSQL's `$1, $2, …`, outside quoted literals and identifiers. MikroORM
 * reads every `?` of a statement as a placeholder too (the jsonb `?` operators are not used with
 * it), so a statement means the same on both paths. The few shapes the command path sends are
 * kept converted.
 */
export function toNumberedPlaceholders(sql: string): string {
  const cached = NUMBERED.get(sql);
  if (cached !== undefined) return cached;
  let out = '';
  let index = 0;
  let quote: string | null = null;
  let from = 0;
  for (let at = 0; at < sql.length; at++) {
    const char = sql[at];
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '?') {
      out += `${sql.slice(from, at)}$${++index}`;
      from = at + 1;
    }
  }
  out += sql.slice(from);
  if (NUMBERED.size < NUMBERED_CACHE_LIMIT) NUMBERED.set(sql, out);
  return out;
}
