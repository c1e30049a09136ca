import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app';

/** The job-queue dashboard (Bull Board) at /admin/queues, for supervisors and admins only. */
describe('queue dashboard at /admin/queues', () => {
  let t: TestApp;
  let adminDir: string;

  /** The `sid=…` cookie the admin UI gets at login (not the Bearer token). */
  const sessionCookie = async (app: TestApp, email: string, role: 'agent' | 'supervisor' | 'admin') => {
    await app.login(email, role);
    const response = await app.http.post('/v1/auth/login').send({ email, password: TEST_PASSWORD }).expect(200);
    const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
    const sid = cookies.find((cookie) => cookie.startsWith('sid='));
    expect(sid).toBeDefined();
    return sid!.split(';')[0]!;
  };

  beforeAll(async () => {
    // A stand-in admin UI build, so the single-page fallback at /admin is live and must not swallow the board.
    adminDir = mkdtempSync(join(tmpdir(), 'admin-dist-'));
    mkdirSync(join(adminDir, 'assets'));
    writeFileSync(join(adminDir, 'index.html'), '<!doctype html><title>admin</title><div id="root"></div>');
    t = await startTestApp({}, { adminDir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(adminDir, { recursive: true, force: true });
  });

  it('answers 401 UNAUTHENTICATED without a session and 403 FORBIDDEN to an agent, as JSON', async () => {
    for (const path of ['/admin/queues', '/admin/queues/', '/admin/queues/api/queues', '/admin/queues/queue/deadlines']) {
      const response = await t.http.get(path).expect(401);
      expect(response.headers['content-type']).toContain('application/json');
      expect(response.body).toEqual({ code: 'UNAUTHENTICATED', message: expect.any(String), requestId: response.headers['x-request-id'] });
    }
    expect((await t.http.get('/admin/queues').set('Cookie', 'sid=not-a-session').expect(401)).body.code).toBe('UNAUTHENTICATED');
    expect((await t.http.get('/admin/queues').set('Authorization', 'Bearer nope').expect(401)).body.code).toBe('UNAUTHENTICATED');

    const agentCookie = await sessionCookie(t, 'agent@board.test', 'agent');
    for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
      const response = await t.http.get(path).set('Cookie', agentCookie).expect(403);
      expect(response.body).toEqual({ code: 'FORBIDDEN', message: expect.any(String), requestId: response.headers['x-request-id'] });
    }
    const agent = await t.login('agent2@board.test', 'agent');
    expect((await t.http.get('/admin/queues').set('Authorization', agent.auth).expect(403)).body.code).toBe('FORBIDDEN');
  });

  it('shows the board to a supervisor (cookie) and lists the deadlines, effects, notifications and webhooks queues', async () => {
    const cookie = await sessionCookie(t, 'sup@board.test', 'supervisor');
    const page = await t.http.get('/admin/queues').set('Cookie', cookie).expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    // Bull Board's page, not the admin UI's index.html.
    expect(page.text).not.toContain('<div id="root"></div>');
    expect(page.text).toMatch(/bull-board|Dispute engine queues/i);
    expect(page.text).toContain('<base href="/admin/queues/"');
    // Its static files are served behind the same check.
    const script = /src="(static\/js\/main\.[^"]+\.js)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    await t.http
      .get(`/admin/queues/${script}`)
      .set('Cookie', cookie)
      .expect(200)
      .expect('Content-Type', /javascript/);
    expect((await t.http.get(`/admin/queues/${script}`).expect(401)).body.code).toBe('UNAUTHENTICATED');

    const api = await t.http.get('/admin/queues/api/queues').set('Cookie', cookie).expect(200);
    expect(api.headers['content-type']).toContain('application/json');
    const names = (api.body.queues as Array<{ name: string }>).map((queue) => queue.name).sort();
    expect(names).toEqual(['deadlines', 'effects', 'notifications', 'webhooks']);
    // A path the board has no page for is a 404 behind the same check, not the admin UI's page.
    expect((await t.http.get('/admin/queues/x/y/z/w').expect(401)).body.code).toBe('UNAUTHENTICATED');
    expect((await t.http.get('/admin/queues/x/y/z/w').set('Cookie', cookie).expect(404)).body.code).toBe('NOT_FOUND');

    // An admin's Bearer token works too; the admin UI's fallback still serves everything else under /admin.
    expect((await t.http.get('/admin/queues/api/queues').set('Authorization', t.auth).expect(200)).body.queues).toHaveLength(4);
    expect((await t.http.get('/admin/cases/x').expect(200)).text).toContain('<div id="root">');
  });

  it('is mounted when no admin UI build is served as well', async () => {
    const bare = await startTestApp();
    try {
      expect((await bare.http.get('/admin/queues').expect(401)).body.code).toBe('UNAUTHENTICATED');
      const cookie = await sessionCookie(bare, 'sup@bare.test', 'supervisor');
      await bare.http
        .get('/admin/queues')
        .set('Cookie', cookie)
        .expect(200)
        .expect('Content-Type', /text\/html/);
      expect((await bare.http.get('/admin/queues/api/queues').set('Cookie', cookie).expect(200)).body.queues).toHaveLength(4);
    } finally {
      await bare.close();
    }
  });
});
