import { randomBytes } from 'node:crypto';
import Ajv, { type ValidateFunction } from 'ajv';
import type { OpenAPIObject } from '@nestjs/swagger';
import { openApiDocument } from '../../apps/api/src/openapi';
import { startTestApp, disputeBody, type TestApp, type TestMerchant } from '../support/test-app';

/**
 * The response schemas of the OpenAPI document (the admin UI's and the merchant client's generated
 * types come from them) are true: representative routes are called on the running API and each
 * answer is validated against its route's schema. Every field a schema lists is required unless
 * marked optional, types and enums are checked, null only where a field is nullable, and an
 * object may hold no field its schema does not describe (so a field added to a view without its
 * DTO fails here too).
 */

type Schema = Record<string, unknown>;

/**
 * An OpenAPI 3.0 schema as JSON Schema: `nullable` becomes a null alternative, and objects that
 * list their properties allow no others.
 */
function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const { nullable, example: _example, ...rest } = schema as Schema;
  const converted: Schema = Object.fromEntries(
    Object.entries(rest).map(([key, value]) => {
      if (key === 'enum') return [key, value];
      // A map of names to schemas: each value is a schema, whatever its name.
      if (key === 'properties' || key === 'schemas') return [key, Object.fromEntries(Object.entries(value as Schema).map(([name, child]) => [name, toJsonSchema(child)]))];
      return [key, toJsonSchema(value)];
    }),
  );
  if (typeof converted.$ref === 'string') converted.$ref = `api${converted.$ref}`;
  if (converted.properties && converted.additionalProperties === undefined) converted.additionalProperties = false;
  if (!nullable) return converted;
  if (Array.isArray(converted.enum)) converted.enum = [...(converted.enum as unknown[]), null];
  if (typeof converted.type === 'string' && !converted.allOf && !converted.oneOf && !converted.anyOf) return { ...converted, type: [converted.type, 'null'] };
  return { anyOf: [converted, { type: 'null' }] };
}

/** One validator per route and status, from the document the API serves at /docs. */
function responseValidators(document: OpenAPIObject) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const schemas = document.components?.schemas ?? {};
  ajv.addSchema({ $id: 'api', ...(toJsonSchema({ components: { schemas } }) as Schema) });
  const cache = new Map<string, ValidateFunction>();
  return (method: string, path: string, status: number): ValidateFunction => {
    const key = `${method} ${path} ${status}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const operation = (document.paths[path] as Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }> | undefined)?.[method];
    const schema = operation?.responses?.[String(status)]?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`${method.toUpperCase()} ${path} declares no JSON body for ${status}`);
    const validate = ajv.compile(toJsonSchema(schema) as Schema);
    cache.set(key, validate);
    return validate;
  };
}

describe('response schemas of the OpenAPI document, against the running API', () => {
  let t: TestApp;
  let shop: TestMerchant;
  let validatorFor: ReturnType<typeof responseValidators>;

  /** Calls the route (`path` with its parameters filled in from `params`) and returns what its schema finds wrong with the answer. */
  const call = async (
    method: 'get' | 'post' | 'put' | 'patch',
    route: string,
    options: { params?: Record<string, string>; auth?: string; body?: object; status?: number; query?: string } = {},
  ) => {
    const url = route.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(options.params![name]!)) + (options.query ? `?${options.query}` : '');
    let pending = t.http[method](url).set('Authorization', options.auth ?? t.auth);
    if (options.body) pending = pending.send(options.body);
    const response = await pending;
    const status = options.status ?? (method === 'post' ? 201 : 200);
    expect({ route, status: response.status }).toEqual({ route, status });
    const validate = validatorFor(method, route, status);
    validate(response.body);
    return { body: response.body as Record<string, unknown>, errors: (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`) };
  };
  /** Calls the route and expects its answer to conform; returns the answer. */
  const conforming = async (...args: Parameters<typeof call>) => {
    const { body, errors } = await call(...args);
    expect({ route: args[1], errors }).toEqual({ route: args[1], errors: [] });
    return body;
  };

  beforeAll(async () => {
    t = await startTestApp();
    shop = await t.createMerchant(`m_conform_${randomBytes(3).toString('hex')}`);
    validatorFor = responseValidators(openApiDocument(t.app));
  });
  afterAll(() => t.close());

  it('the checker fails an answer that lacks a required field or has a wrong type', async () => {
    const { id } = (await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201)).body as { id: string };
    const { body } = await call('get', '/v1/cases/{id}', { params: { id } });
    const validate = validatorFor('get', '/v1/cases/{id}', 200);
    const { livemode: _livemode, ...withoutLivemode } = body;
    expect(validate(withoutLivemode)).toBe(false);
    expect(validate.errors).toEqual([expect.objectContaining({ keyword: 'required', params: { missingProperty: 'livemode' } })]);
    expect(validate({ ...body, version: String(body.version) })).toBe(false);
    expect(validate.errors).toEqual([expect.objectContaining({ instancePath: '/version', keyword: 'type' })]);
    expect(validate({ ...body, assignee: { id: 'a' } })).toBe(false);
    expect(validate({ ...body, undescribed: true })).toBe(false);
    expect(validate({ ...body, subject: null })).toBe(false);
    expect(validate({ ...body, merchantId: null })).toBe(true);
  });

  it('cases: detail, page, timeline, events, notes, contact reveal, audit proof, redrives, failed work, related cases, conversation, approvals', async () => {
    const opened = await conforming('post', '/v1/cases', {
      body: disputeBody({ merchantId: shop.id, customer: { id: 'u_conform', name: '王小明', phone: '13812345678', email: 'wang@example.com' } }),
    });
    const id = opened.id as string;
    await conforming('post', '/v1/cases/{id}/notes', { params: { id }, body: { body: 'Called the customer.' } });
    await conforming('post', '/v1/cases/{id}/customer-contact/reveal', { params: { id }, body: { fields: ['phone'] }, status: 200 });
    const forwarded = await conforming('post', '/v1/cases/{id}/events', { params: { id }, body: { type: 'FORWARD_TO_MERCHANT', expectedVersion: opened.version }, status: 200 });
    await conforming('post', '/v1/cases/{id}/assign', { params: { id }, body: { assigneeId: t.adminId, expectedVersion: forwarded.version }, status: 200 });
    const detail = await conforming('get', '/v1/cases/{id}', { params: { id } });
    expect(detail.evidenceRequirements).not.toBeNull();
    expect(detail.merchantReachability).not.toBeNull();
    expect(detail.customerContact).not.toBeNull();
    expect(detail.deadlines).not.toEqual([]);

    const page = await conforming('get', '/v1/cases', { query: 'limit=5' });
    expect((page.items as unknown[]).length).toBeGreaterThan(0);
    const timeline = (await conforming('get', '/v1/cases/{id}/timeline', { params: { id } })) as unknown as Array<{ category: string }>;
    // The case's own log and a contact reveal (numbered and `reveal-…` ids); customer notifications may be merged in too.
    expect(timeline.map((entry) => entry.category)).toEqual(expect.arrayContaining(['machine', 'annotation', 'contact_reveal']));

    const proof = await conforming('get', '/v1/cases/{id}/audit-proof', { params: { id } });
    expect(proof.valid).toBe(true);
    await conforming('post', '/v1/cases/{id}/effects/redrive', { params: { id }, status: 200 });
    await conforming('post', '/v1/cases/{id}/deadlines/redrive', { params: { id }, status: 200 });
    // Work BullMQ gave up on (rows as the workers leave them; failed rows are out of the engine's sight).
    await t.sql(`insert into outbox (id, case_id, type, payload, status, attempts, last_error) values (gen_random_uuid(), $1, 'noSuchEffect', '{}', 'failed', 1, 'No handler')`, [
      id,
    ]);
    await t.sql(
      `insert into deadlines (id, case_id, kind, name, send_id, event, due_at, status) values (gen_random_uuid(), $1, 'sla', 'breach', 'conform', '{"type": "SLA_BREACH"}', now(), 'failed')`,
      [id],
    );
    const failedWork = await conforming('get', '/v1/failed-work');
    expect(failedWork.data).toEqual([expect.objectContaining({ caseId: id, effects: [expect.anything()], deadlines: [expect.anything()] })]);

    // Another case of the same customer, linked to this one.
    const other = await conforming('post', '/v1/cases', { body: disputeBody({ merchantId: shop.id, customer: { id: 'u_conform' } }) });
    await conforming('post', '/v1/cases/{id}/links', { params: { id }, body: { caseId: other.id }, status: 200 });
    const related = await conforming('get', '/v1/cases/{id}/related', { params: { id } });
    expect(related.links).toHaveLength(1);

    await conforming('post', '/v1/cases/{id}/messages', { params: { id }, body: { party: 'merchant', body: 'Could you send the courier slip?' } });
    const conversation = await conforming('get', '/v1/cases/{id}/messages', { params: { id } });
    expect(conversation.messages).toHaveLength(1);

    // A proposal waiting for a second person.
    const current = await conforming('get', '/v1/cases/{id}', { params: { id } });
    await conforming('post', '/v1/cases/{id}/events', {
      params: { id },
      body: { type: 'PROPOSE_MERCHANT_ACCEPT', expectedVersion: current.version, payload: { reason: 'The merchant accepted on the phone' } },
      status: 200,
    });
    const approvals = await conforming('get', '/v1/approvals');
    expect((approvals.items as Array<{ case: { id: string } }>).map((item) => item.case.id)).toContain(id);

    await conforming('get', '/v1/stats/queues');
    await conforming('get', '/v1/notifications');
    await conforming('get', '/v1/notifications/unread-count');
  });

  it('machines, agents, SLA policies, calendars, breaches, saved views, macros', async () => {
    const machine = await conforming('get', '/v1/machines/{kind}', { params: { kind: 'dispute' } });
    await conforming('get', '/v1/machines/{kind}/{version}', { params: { kind: 'refund_request', version: '1' } });
    expect((machine.events as unknown[]).length).toBeGreaterThan(0);
    await conforming('get', '/v1/auth/me');
    await t.login(`agent-${randomBytes(3).toString('hex')}@test.local`, 'agent');
    const agents = await conforming('get', '/v1/agents', { query: 'includeInactive=true' });
    expect((agents.data as unknown[]).length).toBeGreaterThan(1);

    const policies = await conforming('get', '/v1/sla/policies');
    expect((policies.data as unknown[]).length).toBeGreaterThan(0);
    const calendars = await conforming('get', '/v1/sla/calendars');
    expect((calendars.data as unknown[]).length).toBeGreaterThan(0);
    await conforming('get', '/v1/sla/breaches');

    await conforming('post', '/v1/saved-views', { body: { name: 'Urgent disputes', query: { kind: 'dispute', priority: 'urgent' }, shared: true } });
    const views = (await conforming('get', '/v1/saved-views')) as unknown as unknown[];
    expect(views).toHaveLength(1);

    await conforming('post', '/v1/macros', {
      body: { translations: { 'zh-CN': { title: '已收到', body: '您好 {customerName}，我们已收到。' }, en: { title: 'Received', body: 'Hello {customerName}, we have it.' } } },
    });
    const macros = await conforming('get', '/v1/macros');
    expect(macros.data).toHaveLength(1);
  });

  it('merchants, keys, refund policies, webhook endpoints, audit log, reconciliation (admin)', async () => {
    const merchants = await conforming('get', '/v1/admin/merchants');
    expect((merchants.data as unknown[]).length).toBeGreaterThan(0);
    await conforming('get', '/v1/admin/merchants/{merchantId}/api-keys', { params: { merchantId: shop.id } });
    await conforming('put', '/v1/admin/merchants/{merchantId}/refund-policy', {
      params: { merchantId: shop.id },
      body: { refundWindowDays: 14, partialRefundsAllowed: true, nonRefundableFeeMinor: 0 },
    });
    await conforming('get', '/v1/admin/merchants/{merchantId}/refund-policy', { params: { merchantId: shop.id } });
    await t.http
      .post('/v1/merchant/webhook-endpoints')
      .set('Authorization', shop.auth)
      .send({ url: 'https://shop.example/hooks', events: ['dispute.resolved'] })
      .expect(200);
    const endpoints = await conforming('get', '/v1/admin/merchants/{merchantId}/webhook-endpoints', { params: { merchantId: shop.id } });
    expect(endpoints.data).toHaveLength(1);
    await conforming('get', '/v1/admin/merchants/{merchantId}/webhook-deliveries', { params: { merchantId: shop.id } });
    const audit = await conforming('get', '/v1/admin/audit-log');
    expect((audit.data as unknown[]).length).toBeGreaterThan(0);
    await conforming('get', '/v1/audit/anchors');
    await conforming('post', '/v1/reconciliation/refunds/run', { body: {}, status: 200 });
    await conforming('get', '/v1/reconciliation/refund-mismatches', { query: 'includeResolved=true' });
  });

  it('every report', async () => {
    for (const name of ['volume', 'response-times', 'sla-compliance', 'dispute-outcomes', 'refund-requests', 'ratings']) {
      const report = await conforming('get', '/v1/reports/{name}', { params: { name } });
      expect(report.report).toBe(name);
    }
  });

  it('the merchant API: a dispute and a refund request, alone and in their lists', async () => {
    const opened = (
      await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send(disputeBody({ merchantId: shop.id }))
        .expect(201)
    ).body as { id: string; version: number };
    await t.http.post(`/v1/cases/${opened.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: opened.version }).expect(200);
    const dispute = await conforming('get', '/v1/merchant/disputes/{id}', { params: { id: opened.id }, auth: shop.auth });
    expect(dispute).toMatchObject({ livemode: true, evidence_requirements: { missing: expect.any(Array) } });
    await conforming('get', '/v1/merchant/disputes', { auth: shop.auth });
    await conforming('post', '/v1/merchant/disputes/{id}/evidence', { params: { id: opened.id }, auth: shop.auth, body: { shipping_proof: 'SF1400000001' }, status: 200 });
    await conforming('get', '/v1/merchant/disputes/{id}/decision', { params: { id: opened.id }, auth: shop.auth });
    const evidence = await conforming('get', '/v1/cases/{id}/evidence', { params: { id: opened.id } });
    expect(evidence.draft).not.toBeNull();

    const request = (
      await t.http
        .post('/v1/intake/cases')
        .set('Authorization', t.intakeAuth)
        .send({
          kind: 'refund_request',
          subject: '想退货',
          description: '尺码不合适，未拆封',
          customer: { id: 'u_refund' },
          merchantId: shop.id,
          transactionRef: `TX-RR-${randomBytes(4).toString('hex').toUpperCase()}`,
          amount: { amountMinor: 20_000, currency: 'CNY' },
          reason: 'changed_mind',
          purchasedAt: new Date(Date.now() - 3 * 24 * 3600_000).toISOString(),
        })
        .expect(200)
    ).body.case as { id: string };
    const pending = await conforming('get', '/v1/merchant/refund-requests/{id}', { params: { id: request.id }, auth: shop.auth });
    expect(pending).toMatchObject({ status: 'needs_response', decision: null, allowed_actions: ['approve', 'reject'] });
    const page = await conforming('get', '/v1/merchant/refund-requests', { auth: shop.auth });
    expect(page.data).toHaveLength(1);
    const rejected = await conforming('post', '/v1/merchant/refund-requests/{id}/reject', {
      params: { id: request.id },
      auth: shop.auth,
      body: { reason: 'The item was used' },
      status: 200,
    });
    expect(rejected.decision).toMatchObject({ outcome: 'rejected' });
    await conforming('get', '/v1/merchant/refund-requests/{id}/customer-evidence', { params: { id: request.id }, auth: shop.auth });

    // Test mode: a test key's clocks and simulated cases.
    const testKey = await conforming('post', '/v1/admin/merchants/{merchantId}/api-keys', { params: { merchantId: shop.id }, body: { kind: 'secret', livemode: false } });
    const testAuth = `Bearer ${testKey.key as string}`;
    const clock = await conforming('post', '/v1/merchant/test_helpers/test_clocks', { auth: testAuth, body: { name: 'conformance' }, status: 200 });
    await conforming('get', '/v1/merchant/test_helpers/test_clocks', { auth: testAuth });
    const testDispute = await conforming('post', '/v1/merchant/test_helpers/disputes', {
      auth: testAuth,
      body: { amount: 5000, reason: 'not_received', test_clock: clock.id },
      status: 200,
    });
    expect(testDispute.livemode).toBe(false);
    await conforming('post', '/v1/merchant/test_helpers/refund_requests', { auth: testAuth, body: { amount: 5000, reason: 'changed_mind', test_clock: clock.id }, status: 200 });
    await conforming('post', '/v1/merchant/test_helpers/test_clocks/{id}/advance', {
      params: { id: clock.id as string },
      auth: testAuth,
      body: { frozen_time: new Date(Date.parse(clock.frozen_time as string) + 3600_000).toISOString() },
      status: 200,
    });
  });
});
