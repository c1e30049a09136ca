import { Client, Pool, type PoolClient } from 'pg';
import { SCHEMA_SQL } from './schema';

export type Db = Pool;
export type Tx = PoolClient;

/** Opens the simulator's own database, creating it and its tables when missing. */
export async function openDatabase(url: string): Promise<Pool> {
  await createDatabaseIfMissing(url);
  const pool = new Pool({ connectionString: url, max: 10 });
  await inTransaction(pool, async (client) => {
    // Two simulators booting on one database must not race their CREATE TABLEs.
    await client.query('select pg_advisory_xact_lock(4010)');
    await client.query(SCHEMA_SQL);
  });
  return pool;
}

export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Postgres unique violation: a concurrent request inserted the same idempotency key first. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}

async function createDatabaseIfMissing(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  parsed.pathname = '/postgres';
  const client = new Client({ connectionString: parsed.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!exists.rowCount)
      await client.query(`create database "${name.replace(/"/g, '""')}"`).catch((error: unknown) => {
        // Another process created it between the check and here.
        if ((error as { code?: string }).code !== '42P04') throw error;
      });
  } finally {
    await client.end();
  }
}
