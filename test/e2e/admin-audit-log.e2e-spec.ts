import { disputeBody, startTestApp, type TestApp } from '../support/test-app';

interface Entry {
  id: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
}

const HOURS = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((day) => [String(day), day < 6 ? [{ start: '09:00', end: '18:00' }] : []]));

/**
 * Every administrative action lands in the admin audit log (GET /v1/admin/audit-log, admins only)
 * with who acted, what, on what, and safe details: never a key, a secret, or a customer's details.
 * An action that fails leaves no entry: the entry is written in the action's own transaction.
 */
describe('the admin audit log covers the administrative actions', () => {
  let t: TestApp;
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const entriesFor = async (targetType: string, targetId: string): Promise<Entry[]> =>
    (
      await t.http
        .get(`/v1/admin/audit-log?targetType=${targetType}&targetId=${encodeURIComponent(targetId)}`)
        .set('Authorization', t.auth)
        .expect(200)
    ).body.data;
  const admin = { actorId: expect.any(String), actorLabel: 'admin@test.local' };

  it('SLA policies and business calendars: created, then what an update changed', async () => {
    await t.http
      .put('/v1/sla/calendars/audited')
      .set('Authorization', t.auth)
      .send({ name: 'Audited', timeZone: 'Asia/Shanghai', weeklyHours: HOURS, holidays: [], makeUpWorkdays: [] })
      .expect(200);
    await t.http
      .put('/v1/sla/calendars/audited')
      .set('Authorization', t.auth)
      .send({ name: 'Audited', timeZone: 'Asia/Shanghai', weeklyHours: HOURS, holidays: [{ date: '2026-10-01', name: 'National Day' }], makeUpWorkdays: [] })
      .expect(200);
    expect(await entriesFor('business_calendar', 'audited')).toEqual([
      expect.objectContaining({
        ...admin,
        action: 'business_calendar.updated',
        details: { changes: { holidays: { from: [], to: [{ date: '2026-10-01', name: 'National Day' }] } } },
      }),
      expect.objectContaining({ ...admin, action: 'business_calendar.created', details: { name: 'Audited', timeZone: 'Asia/Shanghai' } }),
    ]);

    const policy = {
      name: 'Weibo',
      position: 40,
      match: { channels: ['weibo'] },
      calendarId: 'audited',
      targets: { resolution: { minutes: 600, mode: 'business' } },
      reminders: [],
    };
    await t.http.put('/v1/sla/policies/audited-weibo').set('Authorization', t.auth).send(policy).expect(200);
    await t.http
      .put('/v1/sla/policies/audited-weibo')
      .set('Authorization', t.auth)
      .send({ ...policy, position: 41, active: false })
      .expect(200);
    expect(await entriesFor('sla_policy', 'audited-weibo')).toEqual([
      expect.objectContaining({ ...admin, action: 'sla_policy.updated', details: { changes: { position: { from: 40, to: 41 }, active: { from: true, to: false } } } }),
      expect.objectContaining({ ...admin, action: 'sla_policy.created', details: { name: 'Weibo', position: 40, calendarId: 'audited', active: true } }),
    ]);

    // Refused changes leave no entry.
    await t.http
      .put('/v1/sla/policies/audited-weibo')
      .set('Authorization', t.auth)
      .send({ ...policy, calendarId: 'nowhere' })
      .expect(400);
    await t.http
      .put('/v1/sla/calendars/audited')
      .set('Authorization', t.auth)
      .send({ name: 'Audited', timeZone: 'Mars/Olympus', weeklyHours: HOURS, holidays: [], makeUpWorkdays: [] })
      .expect(400);
    expect(await entriesFor('sla_policy', 'audited-weibo')).toHaveLength(2);
    expect(await entriesFor('business_calendar', 'audited')).toHaveLength(2);
  });

  it("merchants and their API keys: created and revoked, with the key's prefix but never the key", async () => {
    await t.http.post('/v1/admin/merchants').set('Authorization', t.auth).send({ id: 'm_audited', name: '审计商户' }).expect(201);
    await t.http.post('/v1/admin/merchants').set('Authorization', t.auth).send({ id: 'm_audited', name: 'Twice' }).expect(400);
    expect(await entriesFor('merchant', 'm_audited')).toEqual([expect.objectContaining({ ...admin, action: 'merchant.created', details: { name: '审计商户' } })]);

    const key = (await t.http.post('/v1/admin/merchants/m_audited/api-keys').set('Authorization', t.auth).send({ kind: 'secret', name: 'server' }).expect(201)).body;
    secrets.push(key.key);
    await t.http.delete(`/v1/admin/merchants/m_audited/api-keys/${key.id}`).set('Authorization', t.auth).expect(200);
    // Revoking again changes nothing, and records nothing.
    await t.http.delete(`/v1/admin/merchants/m_audited/api-keys/${key.id}`).set('Authorization', t.auth).expect(200);
    expect(await entriesFor('merchant_api_key', key.id)).toEqual([
      expect.objectContaining({ ...admin, action: 'merchant_api_key.revoked', details: { merchantId: 'm_audited', kind: 'secret', prefix: key.prefix } }),
      expect.objectContaining({
        ...admin,
        action: 'merchant_api_key.created',
        details: { merchantId: 'm_audited', kind: 'secret', name: 'server', prefix: key.prefix, livemode: true },
      }),
    ]);
  });

  it('webhook endpoints: created and deleted by the merchant, with the origin but never the secret, path or query', async () => {
    const merchant = await t.createMerchant();
    const endpoint = (
      await t.http
        .post('/v1/merchant/webhook-endpoints')
        .set('Authorization', merchant.auth)
        .send({ url: 'http://127.0.0.1:9/hooks/s3cr3t-path?token=s3cr3t-query', events: ['dispute.resolved'] })
        .expect(200)
    ).body;
    secrets.push(endpoint.secret, 's3cr3t-path', 's3cr3t-query');
    await t.http.delete(`/v1/merchant/webhook-endpoints/${endpoint.id}`).set('Authorization', merchant.auth).expect(200);
    const actor = { actorId: null, actorLabel: `merchant:${merchant.id} key:${merchant.keyId}` };
    expect(await entriesFor('webhook_endpoint', endpoint.id)).toEqual([
      expect.objectContaining({ ...actor, action: 'webhook_endpoint.deleted', details: { merchantId: merchant.id, origin: 'http://127.0.0.1:9' } }),
      expect.objectContaining({
        ...actor,
        action: 'webhook_endpoint.created',
        details: { merchantId: merchant.id, origin: 'http://127.0.0.1:9', events: ['dispute.resolved'], livemode: true },
      }),
    ]);
  });

  it("a reveal of a customer's contact details: who, which case, which fields, never the details", async () => {
    const agent = await t.login('looker@test.local', 'agent');
    const customer = { id: 'u_audited', name: '王小明', phone: '+8613812345678', email: 'wang.audited@example.com' };
    secrets.push(customer.phone, customer.email, '13812345678');
    const opened = (await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody({ customer })).expect(201)).body;
    await t.http
      .post(`/v1/cases/${opened.id}/customer-contact/reveal`)
      .set('Authorization', agent.auth)
      .send({ fields: ['phone', 'email'] })
      .expect(200);
    expect(await entriesFor('case', opened.id)).toEqual([
      expect.objectContaining({ actorId: agent.id, actorLabel: 'looker@test.local', action: 'customer_contact.revealed', details: { fields: ['phone', 'email'] } }),
    ]);
  });

  it('macros: created, what an update changed, deleted', async () => {
    const macro = { translations: { 'zh-CN': { title: '已收到', body: '您好' }, en: { title: 'Received', body: 'Hello' } } };
    const created = (await t.http.post('/v1/macros').set('Authorization', t.auth).send(macro).expect(201)).body;
    await t.http
      .put(`/v1/macros/${created.id}`)
      .set('Authorization', t.auth)
      .send({ translations: { ...macro.translations, en: { title: 'Got it', body: 'Hello' } } })
      .expect(200);
    await t.http.delete(`/v1/macros/${created.id}`).set('Authorization', t.auth).expect(204);
    expect(await entriesFor('macro', created.id)).toEqual([
      expect.objectContaining({ ...admin, action: 'macro.deleted', details: { titles: { 'zh-CN': '已收到', en: 'Got it' } } }),
      expect.objectContaining({
        ...admin,
        action: 'macro.updated',
        details: { changes: { en: { from: { title: 'Received', body: 'Hello' }, to: { title: 'Got it', body: 'Hello' } } } },
      }),
      expect.objectContaining({ ...admin, action: 'macro.created', details: { titles: { 'zh-CN': '已收到', en: 'Received' } } }),
    ]);
  });

  it("only admins read the log, and nothing in it is a secret or a customer's details", async () => {
    const agent = await t.login('curious-agent@test.local', 'agent');
    const supervisor = await t.login('curious-supervisor@test.local', 'supervisor');
    expect((await t.http.get('/v1/admin/audit-log').set('Authorization', agent.auth).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await t.http.get('/v1/admin/audit-log').set('Authorization', supervisor.auth).expect(403)).body.code).toBe('FORBIDDEN');
    await t.http.get('/v1/admin/audit-log').expect(401);

    const everything: Entry[] = [];
    let before: string | null = null;
    do {
      const page: { data: Entry[]; nextBefore: string | null } = (
        await t.http
          .get(`/v1/admin/audit-log?limit=200${before ? `&before=${before}` : ''}`)
          .set('Authorization', t.auth)
          .expect(200)
      ).body;
      everything.push(...page.data);
      before = page.nextBefore;
    } while (before);
    const actions = new Set(everything.map((entry) => entry.action));
    for (const action of [
      'business_calendar.created',
      'business_calendar.updated',
      'sla_policy.created',
      'sla_policy.updated',
      'merchant.created',
      'merchant_api_key.created',
      'merchant_api_key.revoked',
      'webhook_endpoint.created',
      'webhook_endpoint.deleted',
      'customer_contact.revealed',
      'macro.created',
      'macro.updated',
      'macro.deleted',
      'agent.created',
    ]) {
      expect(actions).toContain(action);
    }
    const text = JSON.stringify(everything);
    expect(secrets.length).toBeGreaterThan(5);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
