import { randomUUID } from 'node:crypto';
import { FireDeadline } from '@app/cases';
import { withoutRequestId } from '../support/error-body';
import { PDF } from '../support/evidence-files';
import { disputeBody, startTestApp, type TestApp, type TestMerchant } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver } from '../support/webhook-receiver';

type Http = { status: number; body: Record<string, any> };

describe('merchant test mode: test keys, isolation from live data, simulated cases, test clocks', () => {
  let t: TestApp;
  let m: TestMerchant;
  /** The same merchant's test-mode keys. */
  let testAuth: string;
  let testReadOnlyAuth: string;
  let liveDisputeId: string;
  let testDisputeId: string;
  let liveReceiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let testReceiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let liveEndpointId: string;
  let testEndpointId: string;

  const createKey = async (kind: 'secret' | 'restricted', livemode: boolean) =>
    (await t.http.post(`/v1/admin/merchants/${m.id}/api-keys`).set('Authorization', t.auth).send({ kind, livemode }).expect(201)).body;

  const simulateDispute = (auth: string, body: Record<string, unknown> = {}) =>
    t.http
      .post('/v1/merchant/test_helpers/disputes')
      .set('Authorization', auth)
      .send({ amount: 10_000, currency: 'CNY', reason: 'not_received', ...body });

  const getCase = async (id: string) => (await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp();
    m = await t.createMerchant();
    testAuth = `Bearer ${(await createKey('secret', false)).key}`;
    testReadOnlyAuth = `Bearer ${(await createKey('restricted', false)).key}`;

    liveReceiver = await startWebhookReceiver();
    testReceiver = await startWebhookReceiver();
    liveEndpointId = (
      await t.http
        .post('/v1/merchant/webhook-endpoints')
        .set('Authorization', m.auth)
        .send({ url: liveReceiver.url, events: ['*'] })
        .expect(200)
    ).body.id;
    testEndpointId = (
      await t.http
        .post('/v1/merchant/webhook-endpoints')
        .set('Authorization', testAuth)
        .send({ url: testReceiver.url, events: ['*'] })
        .expect(200)
    ).body.id;

    const opened = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ merchantId: m.id }))
      .expect(201);
    liveDisputeId = opened.body.id;
    await t.http.post(`/v1/cases/${liveDisputeId}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
    testDisputeId = (await simulateDispute(testAuth).expect(200)).body.id;
  });
  afterAll(async () => {
    await liveReceiver?.close();
    await testReceiver?.close();
    await t.close();
  });

  it("test keys look like Stripe's (sk_test_, rk_test_) and are listed with livemode false; test helpers refuse live keys and write nothing", async () => {
    const secret = await createKey('secret', false);
    const restricted = await createKey('restricted', false);
    expect(secret.key).toMatch(/^sk_test_[A-Za-z0-9_-]{32}$/);
    expect(restricted.key).toMatch(/^rk_test_[A-Za-z0-9_-]{32}$/);
    expect(secret).toMatchObject({ livemode: false, prefix: secret.key.slice(0, 12) });
    expect((await createKey('secret', true)).key).toMatch(/^sk_live_/);
    const listed = (await t.http.get(`/v1/admin/merchants/${m.id}/api-keys?limit=100`).set('Authorization', t.auth).expect(200)).body.data;
    expect(listed.find((key: { id: string }) => key.id === secret.id)).toMatchObject({ livemode: false });

    const before = await t.sql<{ cases: string; clocks: string }>('select (select count(*) from cases) as cases, (select count(*) from test_clocks) as clocks');
    for (const call of [
      () => simulateDispute(m.auth),
      () => t.http.post('/v1/merchant/test_helpers/refund_requests').set('Authorization', m.auth).send({ amount: 100, reason: 'changed my mind' }),
      () => t.http.post('/v1/merchant/test_helpers/test_clocks').set('Authorization', m.auth).send({}),
      () => t.http.get('/v1/merchant/test_helpers/test_clocks').set('Authorization', m.auth),
    ]) {
      const refused: Http = await call();
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('TEST_MODE_ONLY');
    }
    // A restricted test key only reads, as a restricted live key does.
    expect((await simulateDispute(testReadOnlyAuth)).status).toBe(403);
    expect(await t.sql('select (select count(*) from cases) as cases, (select count(*) from test_clocks) as clocks')).toEqual(before);
  });

  it('a simulated dispute arrives as needs_response on a made-up payment, marked as test data everywhere', async () => {
    const dispute = (await t.http.get(`/v1/merchant/disputes/${testDisputeId}`).set('Authorization', testAuth).expect(200)).body;
    expect(dispute).toMatchObject({ id: testDisputeId, livemode: false, status: 'needs_response', amount: 10_000, currency: 'CNY', reason: 'not_received' });
    expect(dispute.transaction_ref).toMatch(/^TEST-[0-9A-F]{16}$/);
    expect(dispute.allowed_actions).toEqual(expect.arrayContaining(['accept', 'submit_evidence']));
    // The wallet never heard of the payment.
    expect(await t.wallet.transaction(dispute.transaction_ref)).toBeNull();
    const [row] = await t.sql<{ livemode: boolean; test_clock_id: string | null }>('select livemode, test_clock_id from cases where id = $1', [testDisputeId]);
    expect(row).toEqual({ livemode: false, test_clock_id: null });
    expect((await t.http.get(`/v1/merchant/disputes/${liveDisputeId}`).set('Authorization', m.auth).expect(200)).body.livemode).toBe(true);

    // Agents see it marked, and their queue lists test cases only when asked to.
    expect(await getCase(testDisputeId)).toMatchObject({ livemode: false, testClockId: null, merchantId: m.id, state: 'awaitingMerchant' });
    const queue = async (query: string) =>
      (await t.http.get(`/v1/cases?merchantId=${m.id}${query}`).set('Authorization', t.auth).expect(200)).body.items.map((c: { id: string; livemode: boolean }) => [
        c.id,
        c.livemode,
      ]);
    expect(await queue('')).toEqual([[liveDisputeId, true]]);
    expect(await queue('&livemode=false')).toEqual([[testDisputeId, false]]);

    const invalid = await simulateDispute(testAuth, { reason: 'bored' }).expect(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
  });

  it('a test key never sees live data and a live key never sees test data: list, get, decision, evidence, accept, messages, webhooks', async () => {
    const stateOf = async (id: string) =>
      (
        await t.sql(
          `select c.version, c.state, (select count(*) from case_events where case_id = c.id) as events,
                  (select count(*) from evidence_files where case_id = c.id) as files,
                  (select count(*) from evidence_submissions where case_id = c.id) as submissions,
                  (select count(*) from case_messages where case_id = c.id) as messages
             from cases c where c.id = $1`,
          [id],
        )
      )[0];
    const routes = (auth: string): Array<[string, (id: string) => Promise<Http>]> => [
      ['read', (id) => t.http.get(`/v1/merchant/disputes/${id}`).set('Authorization', auth)],
      ['decision', (id) => t.http.get(`/v1/merchant/disputes/${id}/decision`).set('Authorization', auth)],
      ['evidence', (id) => t.http.get(`/v1/merchant/disputes/${id}/evidence`).set('Authorization', auth)],
      ['stage', (id) => t.http.post(`/v1/merchant/disputes/${id}/evidence`).set('Authorization', auth).send({ receipt: 'forged' })],
      ['upload', (id) => t.http.post(`/v1/merchant/disputes/${id}/evidence/files`).set('Authorization', auth).attach('file', PDF, 'x.pdf')],
      ['submit', (id) => t.http.post(`/v1/merchant/disputes/${id}/evidence/submit`).set('Authorization', auth).send({ summary: 'forged' })],
      ['accept', (id) => t.http.post(`/v1/merchant/disputes/${id}/accept`).set('Authorization', auth).set('Idempotency-Key', randomUUID())],
      ['messages', (id) => t.http.get(`/v1/merchant/disputes/${id}/messages`).set('Authorization', auth)],
      ['write', (id) => t.http.post(`/v1/merchant/disputes/${id}/messages`).set('Authorization', auth).send({ body: 'hello?' })],
    ];
    const pairs: Array<[string, string, string]> = [
      ['test key on a live dispute', testAuth, liveDisputeId],
      ['live key on a test dispute', m.auth, testDisputeId],
    ];
    for (const [who, auth, otherModeId] of pairs) {
      const before = await stateOf(otherModeId);
      const missing = randomUUID();
      for (const [name, call] of routes(auth)) {
        const other = await call(otherModeId);
        const absent = await call(missing);
        expect({ who, name, status: other.status }).toEqual({ who, name, status: 404 });
        // The same answer as for a dispute that does not exist: nothing tells the modes' data apart.
        expect(JSON.stringify(withoutRequestId(absent.body)).replaceAll(missing, otherModeId)).toBe(JSON.stringify(withoutRequestId(other.body)));
      }
      expect(await stateOf(otherModeId)).toEqual(before);
    }

    const listed = async (auth: string) => (await t.http.get('/v1/merchant/disputes').set('Authorization', auth).expect(200)).body.data.map((d: { id: string }) => d.id);
    expect(await listed(testAuth)).toEqual([testDisputeId]);
    expect(await listed(m.auth)).toEqual([liveDisputeId]);
    expect(await listed(testReadOnlyAuth)).toEqual([testDisputeId]);
    expect(await listed(m.readOnlyAuth)).toEqual([liveDisputeId]);

    // Webhook endpoints and deliveries belong to a mode too.
    const endpoints = async (auth: string) => (await t.http.get('/v1/merchant/webhook-endpoints').set('Authorization', auth).expect(200)).body.data;
    expect((await endpoints(testAuth)).map((e: { id: string; livemode: boolean }) => [e.id, e.livemode])).toEqual([[testEndpointId, false]]);
    expect((await endpoints(m.auth)).map((e: { id: string; livemode: boolean }) => [e.id, e.livemode])).toEqual([[liveEndpointId, true]]);
    expect((await t.http.delete(`/v1/merchant/webhook-endpoints/${liveEndpointId}`).set('Authorization', testAuth)).status).toBe(404);
    expect((await t.http.delete(`/v1/merchant/webhook-endpoints/${testEndpointId}`).set('Authorization', m.auth)).status).toBe(404);

    // Each receiver gets its own mode's events only, test ones marked livemode: false.
    const liveEvent = await waitFor('the live dispute event at the live endpoint', async () => liveReceiver.accepted().find((r) => r.event.data.object.id === liveDisputeId));
    const testEvent = await waitFor('the test dispute event at the test endpoint', async () => testReceiver.accepted().find((r) => r.event.data.object.id === testDisputeId));
    expect(liveEvent.event).toMatchObject({ type: 'dispute.awaiting_merchant', livemode: true, data: { object: { livemode: true } } });
    expect(testEvent.event).toMatchObject({ type: 'dispute.awaiting_merchant', livemode: false, data: { object: { livemode: false } } });
    const deliveries = async (auth: string) =>
      (await t.http.get('/v1/merchant/webhook-deliveries').set('Authorization', auth).expect(200)).body.data.map((d: { dispute_id: string; endpoint_id: string }) => [
        d.dispute_id,
        d.endpoint_id,
      ]);
    expect(await deliveries(testAuth)).toEqual([[testDisputeId, testEndpointId]]);
    expect(await deliveries(m.auth)).toEqual([[liveDisputeId, liveEndpointId]]);
    const [liveDelivery] = await t.sql<{ id: string }>('select id from webhook_deliveries where case_id = $1', [liveDisputeId]);
    expect((await t.http.post(`/v1/merchant/webhook-deliveries/${liveDelivery!.id}/replay`).set('Authorization', testAuth)).status).toBe(404);
    expect(liveReceiver.accepted().some((r) => r.event.data.object.id === testDisputeId)).toBe(false);
    expect(testReceiver.accepted().some((r) => r.event.data.object.id === liveDisputeId)).toBe(false);
  });

  it('accepting a test dispute refunds through the simulated path: the case resolves, the wallet moves no money', async () => {
    const { body } = await simulateDispute(testAuth, { amount: 4_200 }).expect(200);
    await t.http.post(`/v1/merchant/disputes/${body.id}/evidence`).set('Authorization', testAuth).send({ receipt: 'Order 12' }).expect(200);
    const accepted = await t.http.post(`/v1/merchant/disputes/${body.id}/accept`).set('Authorization', testAuth).expect(200);
    expect(accepted.body).toMatchObject({ livemode: false, status: 'lost' });
    await waitFor('the simulated refund to resolve the test case', async () => (await getCase(body.id)).state === 'resolved');
    const refunds = await t.sql<{ status: string; gateway_refund_id: string; amount_minor: string }>(
      'select status, gateway_refund_id, amount_minor from refunds where case_id = $1',
      [body.id],
    );
    expect(refunds).toEqual([{ status: 'succeeded', gateway_refund_id: expect.stringMatching(/^test_re_[0-9a-f]{32}$/), amount_minor: '4200' }]);
    const decision = (await t.http.get(`/v1/merchant/disputes/${body.id}/decision`).set('Authorization', testAuth).expect(200)).body;
    expect(decision).toMatchObject({ outcome: 'full_refund', decided_by: 'merchant', amount_refunded: 4_200 });
    expect((await t.wallet.refunds()).filter((refund) => refund.transaction_ref === body.transaction_ref)).toEqual([]);
    // Nothing of it reached a customer either (the customer is made up).
    expect(await t.sql('select id from notification_deliveries where case_id = $1', [body.id])).toEqual([]);
  });

  it('a simulated refund request waits for the merchant, in test mode only', async () => {
    const created = await t.http.post('/v1/merchant/test_helpers/refund_requests').set('Authorization', testAuth).send({ amount: 2_500, reason: 'Changed my mind' }).expect(200);
    expect(created.body).toMatchObject({ object: 'refund_request', livemode: false, state: 'submitted', amount: 2_500, currency: 'CNY', test_clock: null });
    const [row] = await t.sql<{ kind: string; livemode: boolean; merchant_id: string }>('select kind, livemode, merchant_id from cases where id = $1', [created.body.id]);
    expect(row).toEqual({ kind: 'refund_request', livemode: false, merchant_id: m.id });
  });

  it("a test clock moves only forward; a silent merchant loses when the clock passes the answer window, as a live one would, at the clock's time", async () => {
    const start = '2026-03-02T02:00:00.000Z';
    const clock = (await t.http.post('/v1/merchant/test_helpers/test_clocks').set('Authorization', testAuth).send({ frozen_time: start, name: 'silent merchant' }).expect(200))
      .body;
    expect(clock).toMatchObject({ object: 'test_clock', livemode: false, frozen_time: start, status: 'ready', name: 'silent merchant' });
    // Another merchant's test key does not see it.
    const other = await t.createMerchant();
    const otherTest = (await t.http.post(`/v1/admin/merchants/${other.id}/api-keys`).set('Authorization', t.auth).send({ kind: 'secret', livemode: false }).expect(201)).body.key;
    expect((await t.http.get(`/v1/merchant/test_helpers/test_clocks/${clock.id}`).set('Authorization', `Bearer ${otherTest}`)).status).toBe(404);
    expect((await simulateDispute(`Bearer ${otherTest}`, { test_clock: clock.id })).status).toBe(404);

    const { body: dispute } = await simulateDispute(testAuth, { test_clock: clock.id, amount: 7_700 }).expect(200);
    expect(dispute.status).toBe('needs_response');
    const dueBy = new Date(dispute.evidence_due_by);
    // The window counts from the clock's time, not the wall clock's.
    expect(dueBy.getTime()).toBeGreaterThan(Date.parse(start));
    expect(dueBy.getTime()).toBeLessThan(Date.parse(start) + 60 * 86_400_000);
    const [opened] = await t.sql<{ created_at: Date }>('select created_at from cases where id = $1', [dispute.id]);
    expect(opened!.created_at.toISOString()).toBe(start);

    // The window's end is long past by the wall clock, yet its job fires nothing: only the clock does.
    const [window] = await t.sql<{ id: string }>(`select id from deadlines where case_id = $1 and name = 'merchantResponseWindow' and status = 'pending'`, [dispute.id]);
    expect(await t.app.get(FireDeadline).execute(window!.id)).toBe('held');
    expect((await t.sql<{ status: string }>('select status from deadlines where id = $1', [window!.id]))[0]!.status).toBe('pending');

    const backwards = await t.http
      .post(`/v1/merchant/test_helpers/test_clocks/${clock.id}/advance`)
      .set('Authorization', testAuth)
      .send({ frozen_time: '2026-03-01T00:00:00.000Z' })
      .expect(400);
    expect(backwards.body).toMatchObject({ code: 'TEST_CLOCK_BACKWARDS', frozenTime: start });
    await t.http.post(`/v1/merchant/test_helpers/test_clocks/${clock.id}/advance`).set('Authorization', testAuth).send({ frozen_time: start }).expect(400);
    // A week date or a time without a zone means nothing to a clock.
    for (const frozen_time of ['2026-W20', '2026-05-01T00:00:00']) {
      const vague = await t.http.post(`/v1/merchant/test_helpers/test_clocks/${clock.id}/advance`).set('Authorization', testAuth).send({ frozen_time }).expect(400);
      expect(vague.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.http.get(`/v1/merchant/test_helpers/test_clocks/${clock.id}`).set('Authorization', testAuth).expect(200)).body.frozen_time).toBe(start);
    await t.http.post(`/v1/merchant/test_helpers/test_clocks/${clock.id}/advance`).set('Authorization', m.auth).send({ frozen_time: dueBy.toISOString() }).expect(403);

    // An advance in progress holds the clock (409); one whose process died (not stamped for minutes)
    // is taken over by the next, instead of leaving the clock stuck in `advancing`.
    await t.sql(`update test_clocks set status = 'advancing', updated_at = now() where id = $1`, [clock.id]);
    const busy = await t.http
      .post(`/v1/merchant/test_helpers/test_clocks/${clock.id}/advance`)
      .set('Authorization', testAuth)
      .send({ frozen_time: dueBy.toISOString() })
      .expect(409);
    expect(busy.body.code).toBe('TEST_CLOCK_ADVANCING');
    await t.sql(`update test_clocks set updated_at = now() - interval '10 minutes' where id = $1`, [clock.id]);

    // A minute before the window closes: nothing happens yet.
    const justBefore = new Date(dueBy.getTime() - 60_000).toISOString();
    const advanced = await t.http.post(`/v1/merchant/test_helpers/test_clocks/${clock.id}/advance`).set('Authorization', testAuth).send({ frozen_time: justBefore }).expect(200);
    expect(advanced.body).toMatchObject({ frozen_time: justBefore, status: 'ready' });
    expect((await t.http.get(`/v1/merchant/disputes/${dispute.id}`).set('Authorization', testAuth).expect(200)).body.status).toBe('needs_response');

    // The merchant stays silent; the clock passes the window: decided for the customer, as live.
    const after = new Date(dueBy.getTime() + 3_600_000).toISOString();
    await t.http.post(`/v1/merchant/test_helpers/test_clocks/${clock.id}/advance`).set('Authorization', testAuth).send({ frozen_time: after }).expect(200);
    const closedWindow = await t.http.post(`/v1/merchant/disputes/${dispute.id}/accept`).set('Authorization', testAuth).expect(409);
    expect(closedWindow.body.code).toMatch(/RESPONSE_WINDOW_CLOSED|EVENT_NOT_ALLOWED/);
    const resolved = await waitFor('the silent test merchant to lose', async () => {
      const current = await getCase(dispute.id);
      return current.state === 'resolved' ? current : undefined;
    });
    expect(resolved.details.decisions).toEqual([expect.objectContaining({ outcome: 'full_refund', decidedBy: 'deadline', amountMinor: 7_700 })]);
    const decision = (await t.http.get(`/v1/merchant/disputes/${dispute.id}/decision`).set('Authorization', testAuth).expect(200)).body;
    expect(decision).toMatchObject({ status: 'lost', outcome: 'full_refund', decided_by: 'deadline', amount_refunded: 7_700 });

    const timeline = await t.sql<{ type: string; to_state: string; created_at: Date; actor_id: string }>(
      'select type, to_state, created_at, actor_id from case_events where case_id = $1 order by case_version',
      [dispute.id],
    );
    expect(timeline.map((e) => [e.type, e.to_state])).toEqual([
      ['xstate.init', 'open'],
      ['FORWARD_TO_MERCHANT', 'awaitingMerchant'],
      ['xstate.after.merchantResponseWindow.dispute.awaitingMerchant', 'refunding.pending'],
      ['REFUND_SUCCEEDED', 'resolved'],
    ]);
    // Each at the clock's time: the window's end exactly when it was due, the refund at the clock's new time.
    expect(timeline[2]!.created_at.toISOString()).toBe(dueBy.toISOString());
    expect(timeline[2]!.actor_id).toBe('clock');
    expect(timeline[3]!.created_at.toISOString()).toBe(after);

    // The appeal window counts from then; advancing past it closes the case.
    const appeal = resolved.deadlines.find((d: { name: string }) => d.name === 'appealWindow');
    expect(Date.parse(appeal.dueAt)).toBeGreaterThan(Date.parse(after));
    await t.http
      .post(`/v1/merchant/test_helpers/test_clocks/${clock.id}/advance`)
      .set('Authorization', testAuth)
      .send({ frozen_time: new Date(Date.parse(appeal.dueAt) + 1000).toISOString() })
      .expect(200);
    expect((await getCase(dispute.id)).state).toBe('closed');
    // Live data never moved with it.
    expect((await getCase(liveDisputeId)).state).toBe('awaitingMerchant');
  });
});
