import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { nodeCommandFor } from '../support/run-build';

const ROOT = join(__dirname, '..', '..');
const PREFLIGHT = nodeCommandFor('apps/cli/src/preflight.ts');

/** A port on which nothing listens: one the system just handed out and that was closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}

/** Runs `npm run preflight`'s script as the demo does, as a process of its own. */
async function preflight(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, PREFLIGHT.args, {
      cwd: ROOT,
      env: { ...process.env, ...PREFLIGHT.env, NODE_ENV: 'development', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the demo preflight (a fresh machine where a service is not running)', () => {
  // The test run's own PostgreSQL and Redis: both up.
  const postgresUp = process.env.TEST_TEMPLATE_DATABASE_URL!;
  const redisUp = process.env.REDIS_PORT ?? '6379';

  it('says in one line that PostgreSQL is not reachable, and how to start it, and exits 1', async () => {
    const port = await closedPort();
    const result = await preflight({ DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/dispute_engine`, REDIS_PORT: redisUp });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^preflight: PostgreSQL is not reachable at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\) — start it \\(Debian: (pg_ctlcluster \\d+ main start|apt-get install postgresql)\\) or set DATABASE_URL$`,
        ),
      ),
    ]);
  });

  it('says in one line that Redis is not reachable, and how to start it, and exits 1', async () => {
    const port = await closedPort();
    const result = await preflight({ DATABASE_URL: postgresUp, REDIS_HOST: '127.0.0.1', REDIS_PORT: String(port) });
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^preflight: Redis is not reachable at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\) — start it \\(Debian: (redis-server --daemonize yes|apt-get install redis-server)\\) or set REDIS_HOST/REDIS_PORT$`,
        ),
      ),
    ]);
  });

  it('names both when both are down, one line each', async () => {
    const [postgresPort, redisPort] = [await closedPort(), await closedPort()];
    const result = await preflight({ DATABASE_URL: `postgresql://postgres@127.0.0.1:${postgresPort}/dispute_engine`, REDIS_HOST: '127.0.0.1', REDIS_PORT: String(redisPort) });
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^preflight: PostgreSQL is not reachable at /);
    expect(lines[1]).toMatch(/^preflight: Redis is not reachable at /);
  });

  it('tells a server that refuses the login from one that is not there', async () => {
    const url = new URL(postgresUp);
    url.username = 'no_such_role_preflight';
    const result = await preflight({ DATABASE_URL: url.toString(), REDIS_PORT: redisUp });
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd()).toBe(
      `preflight: PostgreSQL at ${url.hostname}:${url.port || '5432'} refused the connection (role "no_such_role_preflight" does not exist) — check the user and password in DATABASE_URL`,
    );
  });

  it('says nothing and exits 0 when both answer', async () => {
    const result = await preflight({ DATABASE_URL: postgresUp, REDIS_PORT: redisUp });
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
