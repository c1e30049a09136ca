import { existsSync, readdirSync } from 'node:fs';
import { ConfigError, loadConfig, type AppConfig } from '@app/config';
import { DatabaseUnreachableError, checkDatabaseServer } from '@app/db';
import { RedisUnreachableError, checkRedis } from '@app/queues';

/**
 * `npm run preflight`, the first step of `npm run demo`: asks the configured PostgreSQL and Redis
 * for an answer before anything is built or migrated, and says in one line per missing service
 * what is missing and how to start it, instead of a stack trace further on. Exits 1 if one is.
 */

/** What went wrong underneath the library's error: the socket's error, or the server's answer. */
function causeOf(error: Error): { code?: string; message: string; name?: string } {
  const cause = error.cause ?? error;
  return cause instanceof Error ? { code: (cause as { code?: unknown }).code as string | undefined, message: cause.message, name: cause.name } : { message: String(cause) };
}

/** Debian (this project's machines and CI): start the installed cluster, or install one. */
function postgresHint(): string {
  const clusters = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql').filter((version) => existsSync(`/etc/postgresql/${version}/main`)) : [];
  const newest = clusters.sort((a, b) => Number(a) - Number(b)).at(-1);
  return newest ? `pg_ctlcluster ${newest} main start` : 'apt-get install postgresql';
}

function redisHint(): string {
  return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].some((path) => existsSync(path)) ? 'redis-server --daemonize yes' : 'apt-get install redis-server';
}

async function checkPostgres(url: string): Promise<string | undefined> {
  try {
    await checkDatabaseServer(url);
    return undefined;
  } catch (error) {
    if (!(error instanceof DatabaseUnreachableError)) throw error;
    const parsed = new URL(url);
    const where = `${parsed.hostname}:${parsed.port || '5432'}`;
    const cause = causeOf(error);
    // A server that answered says why with a SQLSTATE (28P01: wrong password, …); anything else is no server.
    if (cause.code && /^[0-9A-Z]{5}$/.test(cause.code)) return `PostgreSQL at ${where} refused the connection (${cause.message}) — check the user and password in DATABASE_URL`;
    return `PostgreSQL is not reachable at ${where} (${cause.code ?? cause.message}) — start it (Debian: ${postgresHint()}) or set DATABASE_URL`;
  }
}

async function checkRedisServer(config: AppConfig): Promise<string | undefined> {
  try {
    await checkRedis(config);
    return undefined;
  } catch (error) {
    if (!(error instanceof RedisUnreachableError)) throw error;
    const where = `${config.redis.host}:${config.redis.port}`;
    const cause = causeOf(error);
    // A server that answered refuses with a reply (NOAUTH, WRONGPASS, …); anything else is no server.
    if (cause.name === 'ReplyError') return `Redis at ${where} refused the connection (${cause.message}) — check REDIS_PASSWORD and REDIS_DB`;
    return `Redis is not reachable at ${where} (${cause.code ?? cause.message}) — start it (Debian: ${redisHint()}) or set REDIS_HOST/REDIS_PORT`;
  }
}

async function main(): Promise<number> {
  const config = loadConfig();
  const problems = await Promise.all([checkPostgres(config.database.url), checkRedisServer(config)]);
  for (const problem of problems) if (problem) console.error(`preflight: ${problem}`);
  return problems.some(Boolean) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? `preflight: ${error.message}` : error);
    process.exit(1);
  },
);
