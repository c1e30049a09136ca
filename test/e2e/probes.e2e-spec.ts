import type { ChildProcess } from 'node:child_process';
import { request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Client } from 'pg';
import { MIGRATION_NAMES, databaseNameOf } from '@app/db';
import { ReadinessProbe, ShutdownState } from '@app/ops';
import { drainHttpServer, shutdownApi } from '../../apps/api/src/shutdown';
import { freePort, startRedis, stopRedis } from '../support/redis-server';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const ALL_UP = { status: 'ok', checks: { postgres: { status: 'up' }, redis: { status: 'up' }, migrations: { status: 'up' } } };

describe('API probes: liveness, and readiness with PostgreSQL, migrations and Redis', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('ready: every check up; /health is the same answer; live says only that the process answers', async () => {
    expect((await t.http.get('/health/ready').expect(200)).body).toEqual(ALL_UP);
    expect((await t.http.get('/health').expect(200)).body).toEqual(ALL_UP);
    expect((await t.http.get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
  });

  it('a migration this build has and the database lacks → 503 naming it, until it is applied', async () => {
    const latest = MIGRATION_NAMES[MIGRATION_NAMES.length - 1]!;
    const [row] = await t.sql<{ id: number; executed_at: Date }>(`delete from mikro_orm_migrations where name = $1 returning id, executed_at`, [latest]);
    try {
      const ready = await t.http.get('/health/ready').expect(503);
      expect(ready.body).toEqual({
        status: 'degraded',
        checks: {
          postgres: { status: 'up' },
          redis: { status: 'up' },
          migrations: { status: 'down', error: '1 migration(s) not applied: run npm run db:migrate', pending: [latest] },
        },
      });
      await t.http.get('/health').expect(503);
      await t.http.get('/health/live').expect(200);
    } finally {
      await t.sql(`insert into mikro_orm_migrations (id, name, executed_at) values ($1, $2, $3)`, [row!.id, latest, row!.executed_at]);
    }
    expect((await t.http.get('/health/ready').expect(200)).body).toEqual(ALL_UP);
  });

  it('PostgreSQL refusing the app (its database closed to connections) → 503 naming postgres; back → 200', async () => {
    // The shared server cannot be stopped; the app's own throwaway database can be closed to every
    // new connection and its open ones ended, which is what the app sees of a database that is down.
    const database = databaseNameOf(t.config.database.url);
    const admin = new Client({ connectionString: t.config.database.url.replace(`/${database}`, '/postgres') });
    await admin.connect();
    // The test's own connection stays (it reads the database afterwards); the app's are ended.
    const [{ pid: ownPid }] = await t.sql<{ pid: number }>('select pg_backend_pid() as pid');
    try {
      await admin.query(`alter database "${database}" allow_connections false`);
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> $2`, [database, ownPid]);
      const ready = await t.http.get('/health/ready').expect(503);
      expect(ready.body).toMatchObject({
        status: 'degraded',
        checks: { postgres: { status: 'down' }, redis: { status: 'up' }, migrations: { status: 'unknown', error: 'PostgreSQL is down' } },
      });
      expect(ready.body.checks.postgres.error).toEqual(expect.any(String));
      expect((await t.http.get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
    } finally {
      await admin.query(`alter database "${database}" allow_connections true`);
      await admin.end();
    }
    // The app's pool replaces the connections that were ended.
    await waitFor('readiness to come back', async () => (await t.http.get('/health/ready')).status === 200);
  });
});

describe('API readiness with Redis down', () => {
  let t: TestApp;
  let port: number;
  let redis: ChildProcess;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    t = await startTestApp({ REDIS_PORT: String(port) });
  });
  afterAll(async () => {
    if (redis.exitCode !== null) redis = await startRedis(port); // closing the app needs Redis
    await t.close();
    await stopRedis(redis);
  });

  it('503 naming redis while it is down, liveness unaffected; 200 once it is back', async () => {
    await t.http.get('/health/ready').expect(200);
    await stopRedis(redis);
    const ready = await t.http.get('/health/ready').expect(503);
    expect(ready.body).toMatchObject({ status: 'degraded', checks: { postgres: { status: 'up' }, redis: { status: 'down' }, migrations: { status: 'up' } } });
    expect(ready.body.checks.redis.error).toEqual(expect.any(String));
    expect((await t.http.get('/health/live').expect(200)).body).toEqual({ status: 'ok' });

    redis = await startRedis(port);
    await waitFor('readiness to come back with Redis', async () => (await t.http.get('/health/ready')).status === 200, 30_000);
  });
});

describe('API shutdown: stop taking connections, drain the requests in flight', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A request whose body is only half sent: in flight until the test sends the rest. */
  const startSlowRequest = (port: number) => {
    const body = JSON.stringify(disputeBody());
    const request = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/v1/cases',
      headers: { Authorization: t.auth, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    });
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      request.on('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode!, body: text }));
      });
      request.on('error', reject);
    });
    request.write(body.slice(0, 20));
    request.flushHeaders();
    return { finish: () => request.end(body.slice(20)), answered };
  };
  const connectionRefused = (port: number) =>
    new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('connect', () => (socket.destroy(), resolve(false)));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
    });

  it('readiness turns 503, new connections are refused, the request in flight is answered, then the app closes', async () => {
    const server = t.app.getHttpServer() as Server;
    const { port } = server.address() as AddressInfo;
    const slow = startSlowRequest(port);
    await waitFor('the request to reach the server', async () => (await new Promise<number>((resolve) => server.getConnections((_, n) => resolve(n)))) > 0);

    const stopping = shutdownApi(t.app, { ...t.config, ops: { ...t.config.ops, shutdownGraceMs: 60_000 } });
    expect(t.app.get(ShutdownState).shuttingDown).toBe(true);
    expect((await t.app.get(ReadinessProbe).check()).status).toBe('shutting_down');
    expect(await connectionRefused(port)).toBe(true);

    slow.finish();
    const answer = await slow.answered;
    expect(answer.status).toBe(201);
    expect(await stopping).toEqual({ http: 'drained', workersCutOff: 0 });
    const [opened] = await t.sql<{ n: string }>(`select count(*) as n from cases where id = $1`, [JSON.parse(answer.body).id]);
    expect(opened!.n).toBe('1');
  });
});

describe('API shutdown: a request still running after SHUTDOWN_GRACE_MS is cut off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('the drain gives up at the grace and closes the connection', async () => {
    const server = t.app.getHttpServer() as Server;
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    // Headers of a request whose body never comes.
    socket.write(`POST /v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${t.auth}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`);
    await waitFor('the request to reach the server', async () => (await new Promise<number>((resolve) => server.getConnections((_, n) => resolve(n)))) > 0);
    expect(await drainHttpServer(server, 200)).toBe('cut_off');
    await closed;
  });
});
