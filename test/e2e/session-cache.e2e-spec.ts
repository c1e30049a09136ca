import type { ChildProcess } from 'node:child_process';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SessionRevocations } from '@app/auth';
import { loadConfig } from '@app/config';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { freePort, startRedis, stopRedis } from '../support/redis-server';
import { SettableClock } from '../support/settable-clock';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

// Ten minutes in the cache: whatever a process sees sooner than that came to it over pub/sub.
const CACHE = { AUTH_SESSION_CACHE_MS: '600000' };
/** How long a revocation may take to reach another process: the pub/sub round trip, polled. */
const PUBSUB_MS = 1000;

const subscribed = (app: INestApplication) => app.get(SessionRevocations).subscribed;
const bearer = (token: string) => `Bearer ${token}`;

/**
 * Two API processes on one database, each with its own Redis connections (A: the test app, B: a
 * second Nest app from the same configuration). Sessions are answered from memory; every change
 * to what a session grants reaches the other process at once.
 */
describe('session cache: a revocation through one API process reaches the other at once', () => {
  let t: TestApp;
  let b: INestApplication;
  let bHttp: ReturnType<typeof request>;
  const clock = new SettableClock();

  beforeAll(async () => {
    t = await startTestApp(CACHE, { clock });
    b = await createApiApp(loadConfig({ ...t.env, RUN_WORKERS_IN_PROCESS: 'false' }), { log: { level: 'error' }, adminDir: '/nonexistent/admin-ui' });
    await b.listen(0, '127.0.0.1');
    bHttp = request((await b.getUrl()).replace('[::1]', '127.0.0.1'));
    await waitFor('both processes to subscribe', async () => subscribed(t.app) && subscribed(b));
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });
  afterEach(() => (clock.offsetMs = 0));

  const meOnA = (auth: string) => t.http.get('/v1/auth/me').set('Authorization', auth);
  const meOnB = (auth: string) => bHttp.get('/v1/auth/me').set('Authorization', auth);
  const secondSession = async (email: string) => bearer((await t.http.post('/v1/auth/login').send({ email, password: TEST_PASSWORD }).expect(200)).body.token);
  const refusedOnB = (what: string, auth: string) => waitFor(`B to refuse the session (${what})`, async () => (await meOnB(auth)).status === 401, PUBSUB_MS, 20);
  const sessionIdOf = async (agentId: string) =>
    (await t.sql<{ id: string }>(`select id from agent_sessions where agent_id = $1 order by created_at desc limit 1`, [agentId]))[0]!.id;

  it('a resolved session is answered from memory: a revocation written straight to SQL (announced to nobody) is not seen', async () => {
    const agent = await t.login('cached@test.local', 'agent');
    await meOnA(agent.auth).expect(200);
    await meOnB(agent.auth).expect(200);
    await t.sql(`update agent_sessions set revoked_at = now(), revoked_reason = 'test' where agent_id = $1`, [agent.id]);
    await meOnA(agent.auth).expect(200);
    await meOnB(agent.auth).expect(200);
  });

  it('a logout through A is refused by B on its next request, and by A at once', async () => {
    const agent = await t.login('leaving@test.local', 'agent');
    await meOnA(agent.auth).expect(200);
    await meOnB(agent.auth).expect(200);
    await t.http.post('/v1/auth/logout').set('Authorization', agent.auth).expect(204);
    await meOnA(agent.auth).expect(401);
    await refusedOnB('logout', agent.auth);
  });

  it('deactivating an agent through B ends every cached session of theirs in A', async () => {
    const agent = await t.login('deactivated@test.local', 'agent');
    const other = await secondSession('deactivated@test.local');
    for (const auth of [agent.auth, other]) {
      await meOnA(auth).expect(200);
      await meOnB(auth).expect(200);
    }
    await bHttp.patch(`/v1/agents/${agent.id}`).set('Authorization', t.auth).send({ active: false }).expect(200);
    for (const auth of [agent.auth, other]) {
      await meOnB(auth).expect(401);
      await waitFor('A to refuse the session (deactivated)', async () => (await meOnA(auth)).status === 401, PUBSUB_MS, 20);
    }
  });

  it('a role change through A applies in B on its next request', async () => {
    const agent = await t.login('promoted@test.local', 'agent');
    await t.http.get('/v1/stats/queues').set('Authorization', agent.auth).expect(403);
    await bHttp.get('/v1/stats/queues').set('Authorization', agent.auth).expect(403);
    await t.http.patch(`/v1/agents/${agent.id}`).set('Authorization', t.auth).send({ role: 'supervisor' }).expect(200);
    await t.http.get('/v1/stats/queues').set('Authorization', agent.auth).expect(200);
    await waitFor('B to apply the new role', async () => (await bHttp.get('/v1/stats/queues').set('Authorization', agent.auth)).status === 200, PUBSUB_MS, 20);
    // A name change is part of the session's answer too.
    await t.http.patch(`/v1/agents/${agent.id}`).set('Authorization', t.auth).send({ displayName: 'Promoted Agent' }).expect(200);
    await waitFor('B to show the new name', async () => (await meOnB(agent.auth)).body.displayName === 'Promoted Agent', PUBSUB_MS, 20);
  });

  it("an admin's password reset through A ends the agent's cached sessions in B", async () => {
    const agent = await t.login('reset@test.local', 'agent');
    await meOnA(agent.auth).expect(200);
    await meOnB(agent.auth).expect(200);
    await t.http.post(`/v1/agents/${agent.id}/password`).set('Authorization', t.auth).send({ newPassword: 'a-brand-new-password-2026' }).expect(204);
    await meOnA(agent.auth).expect(401);
    await refusedOnB('password reset', agent.auth);
  });

  it('a cached session still ends at its idle timeout and at its lifetime, as the clock says', async () => {
    const idle = await t.login('idle-cached@test.local', 'agent');
    await meOnA(idle.auth).expect(200);
    clock.offsetMs = 61 * 60_000;
    await meOnA(idle.auth).expect(401);

    clock.offsetMs = 0;
    // A session at the end of its lifetime: cached with it, then used (within the idle timeout) past it.
    const old = await t.login('old-cached@test.local', 'agent');
    await t.sql(`update agent_sessions set expires_at = now() + interval '1 minute' where agent_id = $1`, [old.id]);
    await meOnA(old.auth).expect(200);
    clock.offsetMs = 2 * 60_000;
    await meOnA(old.auth).expect(401);
  });

  it('a cached session has its last use written at most once a minute, after the answer', async () => {
    const agent = await t.login('busy-cached@test.local', 'agent');
    await meOnA(agent.auth).expect(200);
    const sessionId = await sessionIdOf(agent.id);
    const lastSeen = async () => (await t.sql<{ last_seen_at: Date }>(`select last_seen_at from agent_sessions where id = $1`, [sessionId]))[0]!.last_seen_at.getTime();
    const before = await lastSeen();
    clock.offsetMs = 30_000;
    await meOnA(agent.auth).expect(200);
    expect(await lastSeen()).toBe(before);
    clock.offsetMs = 90_000;
    const due = clock.now().getTime();
    await meOnA(agent.auth).expect(200);
    const written = await waitFor('the last use to be written', async () => ((await lastSeen()) >= due ? lastSeen() : undefined), 5000, 20);
    expect(written).toBeLessThan(due + 5000);
    // Not again within the minute.
    await meOnA(agent.auth).expect(200);
    expect(await lastSeen()).toBe(written);
    expect(before).toBeLessThan(due - 60_000);
  });
});

describe('session cache: without the subscription, no cache', () => {
  let t: TestApp;
  let port: number;
  let redis: ChildProcess;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    t = await startTestApp({ ...CACHE, REDIS_PORT: String(port) });
    await waitFor('the process to subscribe', async () => subscribed(t.app));
  });
  afterAll(async () => {
    if (redis && redis.exitCode !== null) redis = await startRedis(port); // closing the app needs Redis
    await t?.close();
    if (redis) await stopRedis(redis);
    // Closing right after the restart used to hang: see BullWorkers (libs/ops) and worker-process.e2e-spec.
  });

  const me = (auth: string) => t.http.get('/v1/auth/me').set('Authorization', auth);
  const revokeInSql = (agentId: string) => t.sql(`update agent_sessions set revoked_at = now(), revoked_reason = 'test' where agent_id = $1 and revoked_at is null`, [agentId]);

  it('Redis down: the cache is emptied and unused (a revocation in SQL is seen at once); back: it starts empty and is used again', async () => {
    const cachedBefore = await t.login('before-outage@test.local', 'agent');
    const unresolved = await t.login('during-outage@test.local', 'agent');
    await me(cachedBefore.auth).expect(200);
    // The control: while subscribed, the cache answers.
    await revokeInSql(cachedBefore.id);
    await me(cachedBefore.auth).expect(200);

    await stopRedis(redis);
    await waitFor('the subscription to be lost', async () => !subscribed(t.app));
    await me(cachedBefore.auth).expect(401);
    await me(unresolved.auth).expect(200);
    await revokeInSql(unresolved.id);
    await me(unresolved.auth).expect(401);

    redis = await startRedis(port);
    await waitFor('the process to subscribe again', async () => subscribed(t.app), 30_000);
    const after = await t.login('after-outage@test.local', 'agent');
    await me(after.auth).expect(200);
    await revokeInSql(after.id);
    await me(after.auth).expect(200);
  });
});
