import * as argon2 from 'argon2';
import { withoutRequestId } from '../support/error-body';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app';

describe('agent sessions, roles, health, metrics and docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('refuses requests without a valid session', async () => {
    expect((await t.http.get('/v1/cases').expect(401)).body.code).toBe('UNAUTHENTICATED');
    expect((await t.http.get('/v1/cases').set('Authorization', 'Bearer forged').expect(401)).body.code).toBe('UNAUTHENTICATED');
    expect((await t.http.get('/v1/cases').set('Cookie', 'sid=%').expect(401)).body.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a wrong password with the same answer as an unknown email', async () => {
    const wrong = await t.http.post('/v1/auth/login').send({ email: 'admin@test.local', password: 'not-the-password' }).expect(401);
    const unknown = await t.http.post('/v1/auth/login').send({ email: 'nobody@test.local', password: TEST_PASSWORD }).expect(401);
    expect(withoutRequestId(wrong.body)).toEqual(withoutRequestId(unknown.body));
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('sets an httpOnly session cookie that works, and logout revokes it', async () => {
    const login = await t.http.post('/v1/auth/login').send({ email: 'admin@test.local', password: TEST_PASSWORD }).expect(200);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/sid=.+; .*HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const sid = cookie.split(';')[0]!;
    expect((await t.http.get('/v1/auth/me').set('Cookie', sid).expect(200)).body.role).toBe('admin');
    await t.http.post('/v1/auth/logout').set('Cookie', sid).expect(204);
    await t.http.get('/v1/auth/me').set('Cookie', sid).expect(401);
  });

  it('only admins create agents; passwords are stored as argon2id hashes at the configured cost', async () => {
    const agent = await t.login('agent@test.local', 'agent');
    const body = { email: 'new@test.local', password: 'long-enough-password', displayName: 'New', role: 'agent' };
    expect((await t.http.post('/v1/agents').set('Authorization', agent.auth).send(body).expect(403)).body.code).toBe('FORBIDDEN');
    await t.http.post('/v1/agents').set('Authorization', t.auth).send(body).expect(201);
    const [row] = await t.sql<{ password_hash: string }>(`select password_hash from agents where email = 'new@test.local'`);
    // The cost test-app sets (PASSWORD_HASH_*), recorded in the hash itself.
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);
    const duplicate = await t.http.post('/v1/agents').set('Authorization', t.auth).send(body).expect(400);
    expect(duplicate.body.fields).toEqual([{ path: 'email', message: 'already taken' }]);
  });

  it('a password hashed at another cost (set before PASSWORD_HASH_* changed) still signs in and is hashed again at the current cost; a wrong one and an unknown email do not sign in', async () => {
    const agent = await t.login('older-hash@test.local', 'agent');
    const older = await argon2.hash('an-older-password', { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    await t.sql('update agents set password_hash = $2 where id = $1', [agent.id, older]);
    const storedHash = async () => (await t.sql<{ password_hash: string }>('select password_hash from agents where id = $1', [agent.id]))[0]!.password_hash;
    await t.http.post('/v1/auth/login').send({ email: 'older-hash@test.local', password: 'an-older-password' }).expect(200);
    const rehashed = await storedHash();
    expect(rehashed).toMatch(/^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);
    expect(await argon2.verify(rehashed, 'an-older-password')).toBe(true);
    await t.http.post('/v1/auth/login').send({ email: 'older-hash@test.local', password: 'an-older-password' }).expect(200);
    expect(await storedHash()).toBe(rehashed); // at the current cost already: left alone
    const wrong = await t.http.post('/v1/auth/login').send({ email: 'older-hash@test.local', password: 'not-the-password' }).expect(401);
    const unknown = await t.http.post('/v1/auth/login').send({ email: 'nobody@test.local', password: 'an-older-password' }).expect(401);
    expect(unknown.body.code).toBe(wrong.body.code);
  });

  it('lists, filters, searches and pages the queue by next deadline', async () => {
    const open = (subject: string, kind = 'inquiry') =>
      t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send({ kind, channel: 'wechat', subject, customer: { id: 'u_42', name: '张伟' } })
        .expect(201);
    for (let i = 0; i < 5; i += 1) await open(`关于手续费的问题 ${i}`);
    await open('Account hacked', 'account_security');

    const first = await t.http.get('/v1/cases?kind=inquiry&limit=2').set('Authorization', t.auth).expect(200);
    expect(first.body.items).toHaveLength(2);
    const second = await t.http.get(`/v1/cases?kind=inquiry&limit=2&cursor=${first.body.nextCursor}`).set('Authorization', t.auth).expect(200);
    const third = await t.http.get(`/v1/cases?kind=inquiry&limit=2&cursor=${second.body.nextCursor}`).set('Authorization', t.auth).expect(200);
    const ids = [...first.body.items, ...second.body.items, ...third.body.items].map((c: { id: string }) => c.id);
    expect(new Set(ids).size).toBe(5);
    expect(third.body.nextCursor).toBeNull();

    const pages = [...first.body.items, ...second.body.items, ...third.body.items].map((c: { nextDeadlineAt: string | null }) => c.nextDeadlineAt ?? '9999');
    expect(pages).toEqual([...pages].sort());
    const soon = await t.http
      .get(`/v1/cases?kind=inquiry&dueBefore=${encodeURIComponent(new Date(Date.now() + 366 * 86_400_000).toISOString())}`)
      .set('Authorization', t.auth)
      .expect(200);
    expect(soon.body.items).toHaveLength(5);
    const past = await t.http
      .get(`/v1/cases?kind=inquiry&dueBefore=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`)
      .set('Authorization', t.auth)
      .expect(200);
    expect(past.body.items).toHaveLength(0);
    const found = await t.http
      .get(`/v1/cases?q=${encodeURIComponent('手续费')}`)
      .set('Authorization', t.auth)
      .expect(200);
    expect(found.body.items).toHaveLength(5);
    const security = await t.http.get('/v1/cases?kind=account_security&assigneeId=none').set('Authorization', t.auth).expect(200);
    expect(security.body.items.map((c: { subject: string }) => c.subject)).toEqual(['Account hacked']);
  });

  it('reports health of PostgreSQL, Redis and the schema, Prometheus metrics and the OpenAPI document', async () => {
    const health = await t.http.get('/health').expect(200);
    expect(health.body).toEqual({ status: 'ok', checks: { postgres: { status: 'up' }, redis: { status: 'up' }, migrations: { status: 'up' } } });
    const { body: opened } = await t.http.get('/v1/cases?kind=inquiry').set('Authorization', t.auth).expect(200);
    await t.http.get(`/v1/cases/${opened.items[0].id}`).set('Authorization', t.auth).expect(200);
    await t.http.get('/v1/no-such-route/12345').expect(404);
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^cases_active\{kind="inquiry",state="open"\} \d+$/m);
    // Every queue, the webhooks' and the customer notifications' too.
    for (const queue of ['deadlines', 'effects', 'webhooks', 'notifications'])
      expect(metrics.text).toMatch(new RegExp(`^queue_jobs\\{queue="${queue}",state="delayed"\\} \\d+$`, 'm'));
    // Alerts need their series even when nothing has failed yet.
    expect(metrics.text).toMatch(/^effects_unfinished\{type="requestRefund",status="failed"\} \d+$/m);
    expect(metrics.text).toMatch(/^webhook_deliveries_unfinished\{status="failed"\} 0$/m);
    expect(metrics.text).toMatch(/^deadlines_overdue\{kind="machine"\} 0$/m);
    expect(metrics.text).toMatch(/^outbox_overdue\{type="requestRefund"\} 0$/m);
    expect(metrics.text).toMatch(/^webhook_deliveries_overdue 0$/m);
    // Requests by route pattern and status, never by raw URL (a case id would make a series per case).
    expect(metrics.text).toMatch(/^http_request_duration_seconds_count\{method="GET",route="\/v1\/cases\/:id",status="200"\} [1-9]\d*$/m);
    expect(metrics.text).toMatch(/^http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} [1-9]\d*$/m);
    expect(metrics.text).not.toContain(opened.items[0].id);
    expect(metrics.text).not.toContain('no-such-route');
    const docs = await t.http.get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/v1/cases', '/v1/cases/{id}/events', '/v1/auth/login']));
  });
});
