import { Client } from 'pg';

export class DatabaseUnreachableError extends Error {}

/** A one-line explanation instead of a stack trace when PostgreSQL is not there. */
export function describeConnectionError(url: string, error: unknown): string {
  const safeUrl = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  const reason = error instanceof Error ? error.message : String(error);
  return `Cannot reach PostgreSQL at ${safeUrl} (${reason}). Is it running? Set DATABASE_URL to point elsewhere.`;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function withMaintenanceClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new DatabaseUnreachableError(describeConnectionError(url, error), { cause: error });
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Fails unless PostgreSQL answers at the URL's server; the database itself may not exist yet (db:migrate creates it). */
export async function checkDatabaseServer(url: string): Promise<void> {
  await withMaintenanceClient(url, (client) => client.query('select 1'));
}

/** Creates the database named in the URL if it does not exist (dev and demo convenience). */
export async function ensureDatabase(url: string, options: { template?: string } = {}): Promise<boolean> {
  const name = databaseNameOf(url);
  return withMaintenanceClient(url, async (client) => {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount) return false;
    const template = options.template ? ` template ${quoteIdent(options.template)}` : '';
    await client.query(`create database ${quoteIdent(name)}${template}`);
    return true;
  });
}

export async function dropDatabase(url: string): Promise<void> {
  const name = databaseNameOf(url);
  await withMaintenanceClient(url, (client) => client.query(`drop database if exists ${quoteIdent(name)} with (force)`));
}

export async function listDatabases(url: string, prefix: string): Promise<string[]> {
  return withMaintenanceClient(url, async (client) => {
    const result = await client.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${prefix}%`]);
    return result.rows.map((row) => row.datname);
  });
}

export function databaseUrlFor(url: string, database: string): string {
  return withDatabase(url, database);
}

/** Fails fast with one readable line when PostgreSQL is down or the database is missing. */
export async function checkDatabase(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    const missing = (error as { code?: string }).code === '3D000';
    throw new DatabaseUnreachableError(missing ? `Database "${databaseNameOf(url)}" does not exist yet: run npm run db:migrate first.` : describeConnectionError(url, error));
  } finally {
    await client.end().catch(() => undefined);
  }
}
