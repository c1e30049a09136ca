import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const NEW_PASSWORD = 'a-brand-new-password-2026';

describe('agent accounts: admins manage agents, sessions end when they must, every change is audited', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const me = (auth: string) => t.http.get('/v1/auth/me').set('Authorization', auth);
  const loginAs = (email: string, password: string) => t.http.post('/v1/auth/login').send({ email, password });
  const auditOf = async (agentId: string) =>
    (await t.http.get(`/v1/admin/audit-log?targetType=agent&targetId=${agentId}`).set('Authorization', t.auth).expect(200)).body.data as Array<{
      action: string;
      actorLabel: string;
      details: Record<string, unknown>;
    }>;

  it('deactivating an agent ends every session of theirs at once and refuses their logins', async () => {
    const agent = await t.login('leaver@test.local', 'agent');
    const second = `Bearer ${(await loginAs('leaver@test.local', TEST_PASSWORD).expect(200)).body.token}`;
    await me(agent.auth).expect(200);

    const patched = await t.http.patch(`/v1/agents/${agent.id}`).set('Authorization', t.auth).send({ active: false }).expect(200);
    expect(patched.body.active).toBe(false);
    expect((await me(agent.auth).expect(401)).body.code).toBe('UNAUTHENTICATED');
    await me(second).expect(401);
    const sessions = await t.sql<{ revoked_reason: string }>(`select revoked_reason from agent_sessions where agent_id = $1`, [agent.id]);
    expect(sessions.map((s) => s.revoked_reason)).toEqual(['deactivated', 'deactivated']);
    expect((await loginAs('leaver@test.local', TEST_PASSWORD).expect(401)).body.code).toBe('INVALID_CREDENTIALS');

    // Back again: the old sessions stay ended, a new login works.
    await t.http.patch(`/v1/agents/${agent.id}`).set('Authorization', t.auth).send({ active: true }).expect(200);
    await me(agent.auth).expect(401);
    await loginAs('leaver@test.local', TEST_PASSWORD).expect(200);
    expect((await auditOf(agent.id)).map((entry) => entry.action)).toEqual(['agent.reactivated', 'agent.deactivated', 'agent.created']);
  });

  it('a role change takes effect on the next request, without a new login', async () => {
    const agent = await t.login('promoted@test.local', 'agent');
    await t.http.get('/v1/stats/queues').set('Authorization', agent.auth).expect(403);
    await t.http.patch(`/v1/agents/${agent.id}`).set('Authorization', t.auth).send({ role: 'supervisor' }).expect(200);
    await t.http.get('/v1/stats/queues').set('Authorization', agent.auth).expect(200);
    const [entry] = await auditOf(agent.id);
    expect(entry).toMatchObject({ action: 'agent.role_changed', actorLabel: 'admin@test.local', details: { field: 'role', from: 'agent', to: 'supervisor' } });
  });

  it('only admins manage agents, and the last active admin cannot be demoted or deactivated', async () => {
    const supervisor = await t.login('boss@test.local', 'supervisor');
    expect((await t.http.patch(`/v1/agents/${supervisor.id}`).set('Authorization', supervisor.auth).send({ role: 'admin' }).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await t.http.patch(`/v1/agents/${t.adminId}`).set('Authorization', t.auth).send({ role: 'agent' }).expect(409)).body.code).toBe('LAST_ADMIN');
    expect((await t.http.patch(`/v1/agents/${t.adminId}`).set('Authorization', t.auth).send({ active: false }).expect(409)).body.code).toBe('LAST_ADMIN');
    await me(t.auth).expect(200);
    const [admin] = await t.sql<{ role: string; active: boolean }>(`select role, active from agents where id = $1`, [t.adminId]);
    expect(admin).toEqual({ role: 'admin', active: true });
    // Bad input changes nothing.
    await t.http.patch(`/v1/agents/${supervisor.id}`).set('Authorization', t.auth).send({ role: 'owner' }).expect(400);
    await t.http.patch('/v1/agents/not-a-uuid').set('Authorization', t.auth).send({ role: 'agent' }).expect(400);
    expect((await t.http.patch('/v1/agents/00000000-0000-4000-8000-000000000000').set('Authorization', t.auth).send({ role: 'agent' }).expect(404)).body.code).toBe(
      'AGENT_NOT_FOUND',
    );
  });

  it('an admin reset of a password ends every session of the agent; the old password stops working', async () => {
    const agent = await t.login('forgetful@test.local', 'agent');
    await t.http.post(`/v1/agents/${agent.id}/password`).set('Authorization', t.auth).send({ newPassword: 'short' }).expect(400);
    await me(agent.auth).expect(200);
    await t.http.post(`/v1/agents/${agent.id}/password`).set('Authorization', t.auth).send({ newPassword: NEW_PASSWORD }).expect(204);
    await me(agent.auth).expect(401);
    await loginAs('forgetful@test.local', TEST_PASSWORD).expect(401);
    await loginAs('forgetful@test.local', NEW_PASSWORD).expect(200);
    expect((await auditOf(agent.id))[0]!.action).toBe('agent.password_reset');
  });

  it('an agent changes their own password: the current one is checked, their other sessions end, this one stays', async () => {
    const agent = await t.login('careful@test.local', 'agent');
    const other = `Bearer ${(await loginAs('careful@test.local', TEST_PASSWORD).expect(200)).body.token}`;
    const wrong = await t.http.post('/v1/auth/password').set('Authorization', agent.auth).send({ currentPassword: 'not-it-at-all', newPassword: NEW_PASSWORD }).expect(400);
    expect(wrong.body.code).toBe('VALIDATION_FAILED');
    await me(other).expect(200);
    await t.http.post('/v1/auth/password').set('Authorization', agent.auth).send({ currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }).expect(204);
    await me(agent.auth).expect(200);
    await me(other).expect(401);
    await loginAs('careful@test.local', NEW_PASSWORD).expect(200);
  });

  it('a session unused for longer than the idle timeout is over, even within its lifetime', async () => {
    const agent = await t.login('idle@test.local', 'agent');
    // Idle as the database says, before this process kept a copy of the session: a kept copy is
    // checked against the clock instead (session-cache.e2e-spec.ts).
    await t.sql(`update agent_sessions set last_seen_at = now() - interval '61 minutes' where agent_id = $1`, [agent.id]);
    await me(agent.auth).expect(401);
    // The same agent, freshly logged in, is let in: only the idle session ended.
    await me(`Bearer ${(await loginAs('idle@test.local', TEST_PASSWORD).expect(200)).body.token}`).expect(200);
  });

  it('a request refreshes the last use at most once a minute', async () => {
    const agent = await t.login('busy@test.local', 'agent');
    await t.sql(`update agent_sessions set last_seen_at = now() - interval '50 minutes' where agent_id = $1`, [agent.id]);
    await me(agent.auth).expect(200);
    const [session] = await t.sql<{ idle_seconds: number }>(`select extract(epoch from now() - last_seen_at)::int as idle_seconds from agent_sessions where agent_id = $1`, [
      agent.id,
    ]);
    expect(session!.idle_seconds).toBeLessThan(60);
  });

  it('the list of agents tells supervisors and admins the last login and whether two-factor login is on, not agents', async () => {
    const watched = await t.login('watched@test.local', 'agent');
    const supervisor = await t.login('lister@test.local', 'supervisor');
    const [stored] = await t.sql<{ last_login_at: Date }>(`select last_login_at from agents where id = $1`, [watched.id]);
    expect(stored!.last_login_at).not.toBeNull();
    await t.sql(`update agents set totp_enabled_at = now() where id = $1`, [watched.id]);
    const find = async (auth: string) =>
      ((await t.http.get('/v1/agents?limit=200').set('Authorization', auth).expect(200)).body.data as Array<Record<string, unknown>>).find((row) => row.id === watched.id);
    for (const auth of [t.auth, supervisor.auth]) {
      expect(await find(auth)).toMatchObject({ email: 'watched@test.local', active: true, totpEnabled: true, lastLoginAt: new Date(stored!.last_login_at).toISOString() });
    }
    const asAgent = await find(watched.auth);
    expect(asAgent).toMatchObject({ email: 'watched@test.local', active: true });
    expect(asAgent).not.toHaveProperty('totpEnabled');
    expect(asAgent).not.toHaveProperty('lastLoginAt');
    // Only admins may ask for the deactivated agents; anyone else gets the active ones.
    await t.http.patch(`/v1/agents/${watched.id}`).set('Authorization', t.auth).send({ active: false }).expect(200);
    expect(await find(supervisor.auth)).toBeUndefined();
    expect(
      ((await t.http.get('/v1/agents?includeInactive=true&limit=200').set('Authorization', supervisor.auth).expect(200)).body.data as Array<{ id: string }>).map((row) => row.id),
    ).not.toContain(watched.id);
    expect(
      ((await t.http.get('/v1/agents?includeInactive=true&limit=200').set('Authorization', t.auth).expect(200)).body.data as Array<{ id: string; active: boolean }>).find(
        (row) => row.id === watched.id,
      ),
    ).toMatchObject({ active: false });
  });

  it('the audit log is for admins, newest first, paged, and append-only', async () => {
    const agent = await t.login('reader@test.local', 'agent');
    await t.http.get('/v1/admin/audit-log').set('Authorization', agent.auth).expect(403);
    const first = await t.http.get('/v1/admin/audit-log?limit=2').set('Authorization', t.auth).expect(200);
    expect(first.body.data).toHaveLength(2);
    expect(Number(first.body.data[0].id)).toBeGreaterThan(Number(first.body.data[1].id));
    const next = await t.http.get(`/v1/admin/audit-log?limit=2&before=${first.body.nextBefore}`).set('Authorization', t.auth).expect(200);
    expect(Number(next.body.data[0].id)).toBeLessThan(Number(first.body.data[1].id));
    await t.http.get('/v1/admin/audit-log?limit=100000').set('Authorization', t.auth).expect(400);
    await t.http.get('/v1/admin/audit-log?before=1;drop').set('Authorization', t.auth).expect(400);
    await expect(t.sql(`update admin_audit_log set actor_label = 'someone else'`)).rejects.toThrow(/append-only/);
    await expect(t.sql(`delete from admin_audit_log`)).rejects.toThrow(/append-only/);
  });
});

describe('login throttling: per account and per client address, growing lock-outs, no hashing while locked', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '5',
      // Long enough that a loaded machine answers a burst (and the next request) inside the first lock-out.
      LOGIN_LOCKOUT_BASE_SECONDS: '3',
      LOGIN_LOCKOUT_MAX_SECONDS: '60',
    });
  });
  afterAll(() => t.close());

  // Each test comes from an address of its own (the API trusts one proxy hop), so they do not lock each other out.
  const attempt = (address: string, email: string, password: string) => t.http.post('/v1/auth/login').set('X-Forwarded-For', address).send({ email, password });

  it('locks an account after repeated failures, refuses even the right password while locked, and grows the lock-out', async () => {
    await t.login('target@test.local', 'agent');
    for (let i = 0; i < 3; i++) expect((await attempt('198.51.100.1', 'target@test.local', 'wrong-password').expect(401)).body.code).toBe('INVALID_CREDENTIALS');
    const locked = await attempt('198.51.100.1', 'target@test.local', TEST_PASSWORD).expect(429);
    // What is left of the 3 s lock-out, rounded up (less if the machine was slow to get here).
    expect(locked.body.code).toBe('LOGIN_THROTTLED');
    expect([1, 2, 3]).toContain(locked.body.retryAfterSeconds);
    expect(locked.headers['retry-after']).toBe(String(locked.body.retryAfterSeconds));
    // Another address does not help: the account itself is locked.
    await attempt('198.51.100.2', 'target@test.local', TEST_PASSWORD).expect(429);

    await waitFor('the first lock-out to end', async () => (await attempt('198.51.100.1', 'target@test.local', 'wrong-password')).status === 401, 10_000, 200);
    for (let i = 0; i < 2; i++) await attempt('198.51.100.3', 'target@test.local', 'wrong-password').expect(401);
    const longer = await attempt('198.51.100.3', 'target@test.local', TEST_PASSWORD).expect(429);
    // The second lock-out is twice as long (6 s): more than the first could ever show.
    expect([4, 5, 6]).toContain(longer.body.retryAfterSeconds);
  });

  it('locks a client address that tries many accounts, whatever the account', async () => {
    for (let i = 0; i < 5; i++) await attempt('203.0.113.9', `guess-${i}@test.local`, 'wrong-password').expect(401);
    const locked = await attempt('203.0.113.9', 'admin@test.local', TEST_PASSWORD).expect(429);
    expect(locked.body.code).toBe('LOGIN_THROTTLED');
    // The admin from elsewhere is not affected.
    await attempt('203.0.113.10', 'admin@test.local', TEST_PASSWORD).expect(200);
  });

  it('a burst of concurrent guesses is counted before any password is checked: no more than the limit get through', async () => {
    await t.login('burst@test.local', 'agent');
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(`198.18.0.${i + 1}`, 'burst@test.local', 'wrong-password')));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(9);
  });

  it('a successful login forgets the account failures', async () => {
    await t.login('forgiven@test.local', 'agent');
    for (let i = 0; i < 2; i++) await attempt('192.0.2.50', 'forgiven@test.local', 'wrong-password').expect(401);
    await attempt('192.0.2.50', 'forgiven@test.local', TEST_PASSWORD).expect(200);
    for (let i = 0; i < 2; i++) await attempt('192.0.2.51', 'forgiven@test.local', 'wrong-password').expect(401);
    await attempt('192.0.2.51', 'forgiven@test.local', TEST_PASSWORD).expect(200);
  });
});

describe('password checks are a bounded line: a flood of logins is shed, not queued without end', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      LOGIN_MAX_CONCURRENT_PASSWORD_CHECKS: '1',
      LOGIN_MAX_QUEUED_PASSWORD_CHECKS: '0',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '1000',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000',
      // The production cost: at the test apps' cheapest one a check ends in a millisecond, before the next login comes.
      PASSWORD_HASH_MEMORY_KIB: '65536',
      PASSWORD_HASH_ITERATIONS: '3',
      PASSWORD_HASH_PARALLELISM: '4',
    });
  });
  afterAll(() => t.close());

  it('answers 503 LOGIN_BUSY with Retry-After to the logins that find every slot taken', async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.http
          .post('/v1/auth/login')
          .set('X-Forwarded-For', `192.0.2.${i + 1}`)
          .send({ email: `flood-${i}@test.local`, password: 'wrong-password' }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses).toContain(401);
    const shed = answers.filter((answer) => answer.status === 503);
    expect(shed.length).toBeGreaterThan(0);
    expect(shed[0]!.body.code).toBe('LOGIN_BUSY');
    expect(shed[0]!.headers['retry-after']).toBe('1');
    expect(statuses.every((status) => status === 401 || status === 503)).toBe(true);
  });
});
