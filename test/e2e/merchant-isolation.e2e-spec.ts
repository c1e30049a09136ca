import { randomUUID } from 'node:crypto';
import { withoutRequestId } from '../support/error-body';
import { disputeBody, startTestApp, type TestApp, type TestMerchant } from '../support/test-app';
import { PDF } from '../support/evidence-files';

describe('merchant API: keys, tenant isolation, filters, rate limits', () => {
  let t: TestApp;
  let a: TestMerchant;
  let b: TestMerchant;
  let disputeId: string;
  let fileId: string;
  let endpointId: string;
  let deliveryId: string;

  beforeAll(async () => {
    // Private webhook targets refused here (the production setting); a low rate limit to reach.
    t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false', MERCHANT_RATE_LIMIT_PER_MINUTE: '150' });
    a = await t.createMerchant('m_alpha');
    b = await t.createMerchant('m_beta');
    const opened = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ merchantId: a.id }))
      .expect(201);
    disputeId = opened.body.id;
    await t.http.post(`/v1/cases/${disputeId}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
    await t.http.post(`/v1/merchant/disputes/${disputeId}/evidence`).set('Authorization', a.auth).send({ receipt: 'Order 881, paid 100.00' }).expect(200);
    const uploaded = await t.http.post(`/v1/merchant/disputes/${disputeId}/evidence/files`).set('Authorization', a.auth).attach('file', PDF, 'label.pdf').expect(200);
    fileId = uploaded.body.draft.files[0].id;
    // A public address literal: accepted without DNS; subscribed to an event this test never causes.
    const endpoint = await t.http
      .post('/v1/merchant/webhook-endpoints')
      .set('Authorization', a.auth)
      .send({ url: 'https://203.0.114.10/hooks', events: ['dispute.closed'] })
      .expect(200);
    endpointId = endpoint.body.id;
    const [outbox] = await t.sql<{ id: string }>('select id from outbox where case_id = $1 limit 1', [disputeId]);
    deliveryId = randomUUID();
    await t.sql(
      `insert into webhook_deliveries (id, endpoint_id, merchant_id, outbox_id, case_id, event_id, event_type, body, status)
       values ($1, $2, $3, $4, $5, 'evt_test', 'dispute.closed', '{}', 'failed')`,
      [deliveryId, endpointId, a.id, outbox!.id, disputeId],
    );
  });
  afterAll(() => t.close());

  /** Everything of merchant A's dispute that a request could change. */
  const stateOfA = async () => {
    const [row] = await t.sql(
      `select c.version, c.state, (select count(*) from case_events where case_id = c.id) as events,
              (select count(*) from evidence_files where case_id = c.id) as files,
              (select fields::text from evidence_submissions where case_id = c.id and status = 'draft') as draft,
              (select count(*) from evidence_submissions where case_id = c.id and status = 'submitted') as submitted,
              (select status from webhook_endpoints where id = $2) as endpoint,
              (select status || generation from webhook_deliveries where id = $3) as delivery
       from cases c where c.id = $1`,
      [disputeId, endpointId, deliveryId],
    );
    return row;
  };

  it("merchant B gets the same 404 on every one of merchant A's routes as for a dispute that does not exist, and A's case is unchanged", async () => {
    const missing = randomUUID();
    const routes: Array<[string, (id: string) => Promise<{ status: number; body: Record<string, unknown> }>]> = [
      ['read', (id) => t.http.get(`/v1/merchant/disputes/${id}`).set('Authorization', b.auth)],
      ['decision', (id) => t.http.get(`/v1/merchant/disputes/${id}/decision`).set('Authorization', b.auth)],
      ['evidence', (id) => t.http.get(`/v1/merchant/disputes/${id}/evidence`).set('Authorization', b.auth)],
      ['stage', (id) => t.http.post(`/v1/merchant/disputes/${id}/evidence`).set('Authorization', b.auth).send({ receipt: 'forged' })],
      ['upload', (id) => t.http.post(`/v1/merchant/disputes/${id}/evidence/files`).set('Authorization', b.auth).attach('file', PDF, 'x.pdf')],
      ['download', (id) => t.http.get(`/v1/merchant/disputes/${id}/evidence/files/${fileId}/content`).set('Authorization', b.auth)],
      ['delete file', (id) => t.http.delete(`/v1/merchant/disputes/${id}/evidence/files/${fileId}`).set('Authorization', b.auth)],
      ['submit', (id) => t.http.post(`/v1/merchant/disputes/${id}/evidence/submit`).set('Authorization', b.auth).send({ summary: 'forged' })],
      ['accept', (id) => t.http.post(`/v1/merchant/disputes/${id}/accept`).set('Authorization', b.auth).set('Idempotency-Key', randomUUID())],
    ];
    const before = await stateOfA();
    for (const [name, call] of routes) {
      const other = await call(disputeId);
      const absent = await call(missing);
      expect({ name, status: other.status }).toEqual({ name, status: 404 });
      expect(absent.status).toBe(404);
      expect(withoutRequestId(other.body)).toEqual({ code: 'CASE_NOT_FOUND', message: `No dispute ${disputeId}.`, disputeId });
      expect(JSON.stringify(withoutRequestId(absent.body)).replaceAll(missing, disputeId)).toBe(JSON.stringify(withoutRequestId(other.body)));
    }

    const endpointRoutes: Array<[string, (id: string) => Promise<{ status: number; body: Record<string, unknown> }>, string]> = [
      ['delete endpoint', (id) => t.http.delete(`/v1/merchant/webhook-endpoints/${id}`).set('Authorization', b.auth), endpointId],
      ['replay delivery', (id) => t.http.post(`/v1/merchant/webhook-deliveries/${id}/replay`).set('Authorization', b.auth), deliveryId],
      ['update endpoint', (id) => t.http.post(`/v1/merchant/webhook-endpoints/${id}`).set('Authorization', b.auth).send({ disabled: true }), endpointId],
      ['rotate secret', (id) => t.http.post(`/v1/merchant/webhook-endpoints/${id}/rotate-secret`).set('Authorization', b.auth).send({}), endpointId],
      ['test event', (id) => t.http.post(`/v1/merchant/webhook-endpoints/${id}/test`).set('Authorization', b.auth), endpointId],
    ];
    for (const [name, call, id] of endpointRoutes) {
      const other = await call(id);
      const absent = await call(missing);
      expect({ name, status: other.status }).toEqual({ name, status: 404 });
      expect(JSON.stringify(withoutRequestId(absent.body)).replaceAll(missing, id)).toBe(JSON.stringify(withoutRequestId(other.body)));
    }
    expect((await t.http.get('/v1/merchant/webhook-endpoints').set('Authorization', b.auth).expect(200)).body.data).toEqual([]);
    expect((await t.http.get(`/v1/merchant/webhook-deliveries?endpoint_id=${endpointId}`).set('Authorization', b.auth).expect(200)).body.data).toEqual([]);
    expect((await t.http.get('/v1/merchant/disputes').set('Authorization', b.auth).expect(200)).body.data).toEqual([]);

    expect(await stateOfA()).toEqual(before);
    // A still sees and owns all of it.
    expect((await t.http.get(`/v1/merchant/disputes/${disputeId}`).set('Authorization', a.auth).expect(200)).body).toMatchObject({ id: disputeId, status: 'needs_response' });
    await t.http.get(`/v1/merchant/disputes/${disputeId}/evidence/files/${fileId}/content`).set('Authorization', a.auth).expect(200);
  });

  it('merchant keys never open agent routes, and agent sessions never open merchant routes', async () => {
    for (const path of ['/v1/cases', `/v1/cases/${disputeId}`, `/v1/cases/${disputeId}/evidence`, '/v1/admin/merchants', '/v1/auth/me']) {
      expect((await t.http.get(path).set('Authorization', a.auth)).status).toBe(401);
    }
    await t.http.post(`/v1/cases/${disputeId}/events`).set('Authorization', a.auth).send({ type: 'MERCHANT_ACCEPT', expectedVersion: 2 }).expect(401);
    const agentOnMerchant = await t.http.get('/v1/merchant/disputes').set('Authorization', t.auth).expect(401);
    expect(agentOnMerchant.body.code).toBe('UNAUTHENTICATED');
    await t.http.get('/v1/merchant/disputes').expect(401);
  });

  it('keys: shown once, stored as a hash with a visible prefix, last use recorded, restricted keys only read, revocation is immediate', async () => {
    const agent = await t.login('plain-agent@test.local', 'agent');
    await t.http.post('/v1/admin/merchants').set('Authorization', agent.auth).send({ name: 'Nope' }).expect(403);
    await t.http.post('/v1/admin/merchants').set('Authorization', t.auth).send({ id: 'm_alpha', name: 'Again' }).expect(400);

    const created = await t.http.post(`/v1/admin/merchants/${a.id}/api-keys`).set('Authorization', t.auth).send({ kind: 'secret', name: 'rotation' }).expect(201);
    expect(created.body.key).toMatch(/^sk_live_[A-Za-z0-9_-]{32}$/);
    expect(created.body.prefix).toBe(created.body.key.slice(0, 12));
    const [stored] = await t.sql<{ key_hash: string; prefix: string }>('select key_hash, prefix from merchant_api_keys where id = $1', [created.body.id]);
    expect(stored!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await t.sql('select * from merchant_api_keys'))).not.toContain(created.body.key);

    const listed = await t.http.get(`/v1/admin/merchants/${a.id}/api-keys`).set('Authorization', t.auth).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    expect(listed.body.data.find((k: { id: string }) => k.id === created.body.id)).toMatchObject({ lastUsedAt: null, prefix: created.body.prefix });

    const auth = `Bearer ${created.body.key}`;
    await t.http.get('/v1/merchant/disputes').set('Authorization', auth).expect(200);
    const used = await t.http.get(`/v1/admin/merchants/${a.id}/api-keys`).set('Authorization', t.auth).expect(200);
    expect(used.body.data.find((k: { id: string }) => k.id === created.body.id).lastUsedAt).not.toBeNull();

    const readOnly = await t.http.post(`/v1/merchant/disputes/${disputeId}/accept`).set('Authorization', a.readOnlyAuth).expect(403);
    expect(readOnly.body.code).toBe('FORBIDDEN');
    await t.http.get(`/v1/merchant/disputes/${disputeId}`).set('Authorization', a.readOnlyAuth).expect(200);

    await t.http.delete(`/v1/admin/merchants/${a.id}/api-keys/${created.body.id}`).set('Authorization', t.auth).expect(200);
    await t.http.get('/v1/merchant/disputes').set('Authorization', auth).expect(401);
  });

  it('lists disputes with status, due and created filters and a cursor', async () => {
    const opened: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      opened.push(
        (
          await t.http
            .post('/v1/cases')
            .set('Authorization', t.auth)
            .send(disputeBody({ merchantId: a.id }))
            .expect(201)
        ).body.id,
      );
    }
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: Array<{ id: string }>; next_cursor: string | null; has_more: boolean } } = await t.http
        .get(`/v1/merchant/disputes?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .set('Authorization', a.auth)
        .expect(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      all.push(...page.body.data.map((d) => d.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(new Set(all)).toEqual(new Set([disputeId, ...opened]));

    const needs = await t.http.get('/v1/merchant/disputes?status=needs_response').set('Authorization', a.auth).expect(200);
    expect(needs.body.data.map((d: { id: string }) => d.id)).toEqual([disputeId]);
    expect(needs.body.data[0]).toMatchObject({
      amount: 10_000,
      currency: 'CNY',
      reason: 'not_received',
      has_evidence: false,
      submission_count: 0,
      allowed_actions: ['accept', 'submit_evidence'],
    });
    const [deadline] = await t.sql<{ due_at: Date }>(`select due_at from deadlines where case_id = $1 and name = 'merchantResponseWindow'`, [disputeId]);
    expect(needs.body.data[0].evidence_due_by).toBe(deadline!.due_at.toISOString());

    const waiting = await t.http.get('/v1/merchant/disputes?status=warning_under_review').set('Authorization', a.auth).expect(200);
    expect(waiting.body.data.map((d: { id: string }) => d.id).sort()).toEqual([...opened].sort());
    const dueSoon = await t.http
      .get(`/v1/merchant/disputes?due_before=${encodeURIComponent(new Date(Date.now() + 30 * 86_400_000).toISOString())}`)
      .set('Authorization', a.auth)
      .expect(200);
    expect(dueSoon.body.data.map((d: { id: string }) => d.id)).toEqual([disputeId]);
    const future = await t.http
      .get(`/v1/merchant/disputes?created_after=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)
      .set('Authorization', a.auth)
      .expect(200);
    expect(future.body.data).toEqual([]);
    expect((await t.http.get('/v1/merchant/disputes?cursor=garbage').set('Authorization', a.auth).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await t.http.get('/v1/merchant/disputes?status=open').set('Authorization', a.auth).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('refuses webhook targets on private, loopback and link-local addresses', async () => {
    for (const url of ['http://127.0.0.1:8080/hooks', 'http://localhost/hooks', 'http://169.254.169.254/latest', 'http://[::1]/x', 'http://10.0.0.8/', 'ftp://203.0.114.10/']) {
      const refused = await t.http
        .post('/v1/merchant/webhook-endpoints')
        .set('Authorization', a.auth)
        .send({ url, events: ['dispute.resolved'] })
        .expect(400);
      expect(refused.body.code).toBe('WEBHOOK_TARGET_REFUSED');
    }
    const [{ n }] = await t.sql<{ n: string }>('select count(*) as n from webhook_endpoints');
    expect(Number(n)).toBe(1);
  });

  it('refuses the same targets when an endpoint is updated, and the endpoint keeps its URL', async () => {
    const [before] = await t.sql<{ url: string; updated_at: Date }>('select url, updated_at from webhook_endpoints where id = $1', [endpointId]);
    for (const url of ['http://127.0.0.1:8080/hooks', 'http://localhost/hooks', 'http://169.254.169.254/latest', 'http://[::1]/x', 'http://10.0.0.8/']) {
      const refused = await t.http.post(`/v1/merchant/webhook-endpoints/${endpointId}`).set('Authorization', a.auth).send({ url, description: 'moved' }).expect(400);
      expect(refused.body.code).toBe('WEBHOOK_TARGET_REFUSED');
    }
    expect((await t.sql('select url, updated_at from webhook_endpoints where id = $1', [endpointId]))[0]).toEqual(before);
    expect((await t.sql(`select 1 from admin_audit_log where action = 'webhook_endpoint.updated'`)).length).toBe(0);
  });

  it('rate-limits each key: 429 with Retry-After once the window is used up', async () => {
    const c = await t.createMerchant();
    let limited: { status: number; headers: Record<string, string>; body: { code: string } } | undefined;
    // Two windows' worth at most: a window boundary during the loop resets the count once.
    for (let i = 0; i < 301 && !limited; i += 1) {
      const response = await t.http.get('/v1/merchant/disputes?limit=1').set('Authorization', c.auth);
      if (response.status === 429) limited = response;
      else expect(response.status).toBe(200);
    }
    expect(limited).toBeDefined();
    expect(limited!.body.code).toBe('RATE_LIMITED');
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited!.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Another key has its own budget.
    await t.http.get('/v1/merchant/disputes?limit=1').set('Authorization', a.auth).expect(200);
  });
});
