import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';

/** What the admin UI needs from the API beyond the case routes: machines, queue stats, /admin. */
describe('admin UI support: machine descriptions, queue stats, serving the built UI', () => {
  let t: TestApp;
  let adminDir: string;

  beforeAll(async () => {
    // A stand-in build: these tests are about serving, not about the bundle (the browser tests use the real one).
    adminDir = mkdtempSync(join(tmpdir(), 'admin-dist-'));
    mkdirSync(join(adminDir, 'assets'));
    writeFileSync(join(adminDir, 'index.html'), '<!doctype html><title>admin</title><div id="root"></div>');
    writeFileSync(join(adminDir, 'assets', 'app-abc123.js'), 'console.log("admin")');
    writeFileSync(join(adminDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    t = await startTestApp({}, { adminDir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(adminDir, { recursive: true, force: true });
  });

  it('describes a machine version to signed-in agents only, and answers 404 NOT_FOUND for unknown ones', async () => {
    const { body } = await t.http.get('/v1/machines/dispute/1').set('Authorization', t.auth).expect(200);
    expect(body).toMatchObject({ kind: 'dispute', version: 1, initial: 'dispute.open' });
    expect(body.transitions).toContainEqual(expect.objectContaining({ source: 'dispute.awaitingMerchant', deadline: 'merchantResponseWindow', target: 'dispute.refunding' }));
    expect(body.events.find((e: { type: string }) => e.type === 'DECIDE_PARTIAL_REFUND').fields[0]).toMatchObject({ name: 'amountMinor', money: true });
    expect((await t.http.get('/v1/machines/dispute').set('Authorization', t.auth).expect(200)).body.version).toBe(6);

    for (const path of ['/v1/machines/dispute/99', '/v1/machines/chargeback/1', '/v1/machines/dispute/latest', '/v1/machines/chargeback']) {
      const response = await t.http.get(path).set('Authorization', t.auth).expect(404);
      expect(response.body.code).toBe('NOT_FOUND');
    }
    expect((await t.http.get('/v1/machines/dispute/1').expect(401)).body.code).toBe('UNAUTHENTICATED');
  });

  it('counts active cases by kind, state and assignee with overdue and due-soon numbers, for supervisors', async () => {
    const supervisor = await t.login('sup@stats.test', 'supervisor');
    const agent = await t.login('agent@stats.test', 'agent');
    expect((await t.http.get('/v1/stats/queues').set('Authorization', agent.auth).expect(403)).body.code).toBe('FORBIDDEN');

    const open = async () => (await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201)).body;
    const a = await open();
    const b = await open();
    const c = await open();
    await t.http.post(`/v1/cases/${a.id}/assign`).set('Authorization', t.auth).send({ assigneeId: agent.id }).expect(200);
    // One case overdue, one due within the hour; the SLA clock is the database's next_deadline_at.
    await t.sql(`update cases set next_deadline_at = now() - interval '1 hour' where id = $1`, [a.id]);
    await t.sql(`update cases set next_deadline_at = now() + interval '1 hour' where id = $1`, [b.id]);
    await t.sql(`update cases set next_deadline_at = now() + interval '3 days', status = 'done' where id = $1`, [c.id]);
    // A merchant's test-mode case is nobody's work: it counts nowhere (test mode has its own queue filter).
    const test = await open();
    await t.sql(`update cases set livemode = false, next_deadline_at = now() - interval '1 hour' where id = $1`, [test.id]);

    const { body } = await t.http.get('/v1/stats/queues').set('Authorization', supervisor.auth).expect(200);
    expect(body.totals).toEqual({ active: 2, overdue: 1, dueSoon: 1, unassigned: 1 });
    expect(body.byKindState).toEqual([{ kind: 'dispute', state: 'open', active: 2, overdue: 1, dueSoon: 1, unassigned: 1 }]);
    expect(body.byAssignee).toEqual([
      { assigneeId: null, displayName: null, active: 1, overdue: 0, dueSoon: 1, unassigned: 1 },
      { assigneeId: agent.id, displayName: 'agent', active: 1, overdue: 1, dueSoon: 0, unassigned: 0 },
    ]);
  });

  it('serves the admin UI at /admin with a single-page fallback, leaving API routes alone', async () => {
    const index = await t.http.get('/admin/').expect(200);
    expect(index.text).toContain('<div id="root">');
    expect(index.headers['cache-control']).toBe('no-cache');
    // A deep link loads the app, whose router shows the page.
    expect((await t.http.get('/admin/cases/7d0f4a8e-4c1b-4f43-9a57-0d1c7f1f5b11').expect(200)).text).toContain('<div id="root">');
    const asset = await t.http.get('/admin/assets/app-abc123.js').expect(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    // A missing asset is a 404 (a stale tab must not get HTML for its script).
    await t.http.get('/admin/assets/gone-000.js').expect(404);
    // The build's other files are served as they are; /admin itself is the app too.
    expect((await t.http.get('/admin/favicon.svg').expect(200)).headers['content-type']).toContain('image/svg+xml');
    expect((await t.http.get('/admin').expect(200)).text).toContain('<div id="root">');
    // Nothing outside the build, however the path is spelled: a refusal, or the app itself.
    const statuses: number[] = [];
    for (const path of ['/admin/assets/..%2F..%2F..%2F..%2Fetc%2Fpasswd', '/admin/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/admin/..%2F..%2Fetc%2Fpasswd']) {
      const answer = await t.http.get(path);
      statuses.push(answer.status);
      expect(answer.text).not.toContain('root:');
      if (answer.status === 200) expect(answer.text).toContain('<div id="root">');
      else {
        // The API's error body, like any other refusal.
        expect([403, 404]).toContain(answer.status);
        expect(answer.body).toEqual({ code: answer.status === 403 ? 'FORBIDDEN' : 'NOT_FOUND', message: expect.any(String), requestId: answer.headers['x-request-id'] });
      }
    }
    // The asset paths climbing out of assets/ are refused by the file server itself.
    expect(statuses.slice(0, 2)).toEqual([403, 403]);
    await t.http.get('/').expect(302).expect('Location', '/admin/');
    // The API is untouched: JSON errors and routes as before.
    expect((await t.http.get('/v1/cases').expect(401)).body.code).toBe('UNAUTHENTICATED');
    expect((await t.http.get('/health').expect(200)).body.status).toBe('ok');
  });

  it('runs without a build: /admin is simply not there', async () => {
    const bare = await startTestApp();
    try {
      await bare.http.get('/admin/').expect(404);
      expect((await bare.http.get('/health').expect(200)).body.status).toBe('ok');
    } finally {
      await bare.close();
    }
  });
});
