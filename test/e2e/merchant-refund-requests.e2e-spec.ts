import { randomBytes } from 'node:crypto';
import { mintCustomerToken } from '@app/customers';
import { startTestApp, type TestApp, type TestMerchant } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver } from '../support/webhook-receiver';

const CUSTOMER_SECRET = 'merchant-refunds-test-secret-0123456789abcdef';

/**
 * Merchants decide their refund requests through the merchant API: list them, approve in full or
 * in part within the refund policy, reject with a reason (which the customer may contest, and
 * support then decides). Against the real wallet simulator: the approved refund goes out once.
 */
describe('merchant refund requests through HTTP', () => {
  let t: TestApp;
  let shop: TestMerchant;
  let other: TestMerchant;

  beforeAll(async () => {
    t = await startTestApp({ CUSTOMER_TOKEN_SECRETS: CUSTOMER_SECRET });
    shop = await t.createMerchant(`m_shop_${randomBytes(3).toString('hex')}`);
    other = await t.createMerchant(`m_other_${randomBytes(3).toString('hex')}`);
  });
  afterAll(() => t.close());

  const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 3600 * 1000).toISOString();
  /** The wallet backend opens a refund request for a purchase at `merchant`. */
  const openRequest = async (merchant: TestMerchant, overrides: Record<string, unknown> = {}) => {
    const opened = await t.http
      .post('/v1/intake/cases')
      .set('Authorization', t.intakeAuth)
      .send({
        kind: 'refund_request',
        subject: '想退货',
        description: '尺码不合适，未拆封',
        customer: { id: 'u_refund' },
        merchantId: merchant.id,
        transactionRef: `TX-RR-${randomBytes(4).toString('hex').toUpperCase()}`,
        amount: { amountMinor: 20_000, currency: 'CNY' },
        reason: 'changed_mind',
        purchasedAt: daysAgo(3),
        ...overrides,
      })
      .expect(200);
    return opened.body.case as { id: string; transactionRef: string };
  };
  const agentCase = async (id: string) => (await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200)).body;
  const refundRows = (caseId: string) => t.sql<{ amount_minor: string; status: string }>('select amount_minor, status from refunds where case_id = $1', [caseId]);
  const setPolicy = (merchant: TestMerchant, policy: Record<string, unknown>) =>
    t.http.put(`/v1/admin/merchants/${merchant.id}/refund-policy`).set('Authorization', t.auth).send(policy).expect(200);

  it('lists the requests, shows the claim and the policy, and a full approval refunds what the policy allows, once, through the wallet', async () => {
    const receiver = await startWebhookReceiver();
    try {
      await t.http
        .post('/v1/merchant/webhook-endpoints')
        .set('Authorization', shop.auth)
        .send({ url: receiver.url, events: ['refund_request.submitted', 'refund_request.resolved'] })
        .expect(200);
      const request = await openRequest(shop);

      // The webhook carries the request as the API shows it, so the merchant can answer it.
      const submitted = await waitFor('the submitted webhook', async () => receiver.accepted().find((r) => r.event.type === 'refund_request.submitted'));
      expect(submitted.event.data.object).toMatchObject({ id: request.id, object: 'refund_request', status: 'needs_response', allowed_actions: ['approve', 'reject'] });

      const listed = await t.http.get('/v1/merchant/refund-requests?status=needs_response').set('Authorization', shop.auth).expect(200);
      expect(listed.body).toMatchObject({ object: 'list', has_more: false, next_cursor: null });
      expect(listed.body.data.map((r: { id: string }) => r.id)).toEqual([request.id]);
      const view = (await t.http.get(`/v1/merchant/refund-requests/${request.id}`).set('Authorization', shop.readOnlyAuth).expect(200)).body;
      expect(view).toMatchObject({
        id: request.id,
        object: 'refund_request',
        status: 'needs_response',
        amount: 20_000,
        currency: 'CNY',
        claim: { reason: 'changed_mind', subject: '想退货', description: '尺码不合适，未拆封' },
        transaction_ref: request.transactionRef,
        policy: { refund_window_days: 30, partial_refunds_allowed: true, non_refundable_fee: 0 },
        refundable_amount: 20_000,
        amount_refunded: 0,
        decision: null,
        contest: null,
        allowed_actions: ['approve', 'reject'],
      });
      expect(Date.parse(view.respond_by)).toBeGreaterThan(Date.now());
      // A read-only key reads, but does not decide.
      await t.http.post(`/v1/merchant/refund-requests/${request.id}/approve`).set('Authorization', shop.readOnlyAuth).send({}).expect(403);

      const approve = () => t.http.post(`/v1/merchant/refund-requests/${request.id}/approve`).set('Authorization', shop.auth).set('Idempotency-Key', `approve-${request.id}`);
      const approved = await approve().send({ reason: 'Returned unopened' }).expect(200);
      expect(approved.body).toMatchObject({
        status: 'refund_pending',
        decision: { outcome: 'full_refund', amount: 20_000, reason: 'Returned unopened', stage: 'merchant_response' },
        refundable_amount: 0,
        allowed_actions: [],
      });
      // The same request again is the stored answer; without the key it is the machine's 409. Either way, one refund.
      const replayed = await approve().send({ reason: 'Returned unopened' }).expect(200);
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(replayed.body).toEqual(approved.body);
      const again = await t.http.post(`/v1/merchant/refund-requests/${request.id}/approve`).set('Authorization', shop.auth).send({ reason: 'Returned unopened' }).expect(409);
      expect(again.body.code).toBe('EVENT_NOT_ALLOWED');

      const resolved = await waitFor('the wallet to settle the refund', async () => {
        const current = await agentCase(request.id);
        return current.state === 'resolved' ? current : undefined;
      });
      expect(resolved.details.refundedMinor).toBe(20_000);
      expect(await refundRows(request.id)).toEqual([{ amount_minor: '20000', status: 'succeeded' }]);
      expect((await t.wallet.transaction(request.transactionRef))!.refunded_minor).toBe(20_000);
      const final = (await t.http.get(`/v1/merchant/refund-requests/${request.id}`).set('Authorization', shop.auth).expect(200)).body;
      expect(final).toMatchObject({ status: 'refunded', amount_refunded: 20_000 });
      const decided = await waitFor('the resolved webhook', async () => receiver.accepted().find((r) => r.event.type === 'refund_request.resolved'));
      expect(decided.event.data.object).toMatchObject({ id: request.id, status: 'refunded', amount_refunded: 20_000 });
      const timeline = (await t.http.get(`/v1/cases/${request.id}/timeline`).set('Authorization', t.auth).expect(200)).body as Array<{
        type: string;
        actor: { kind: string; id: string };
      }>;
      expect(timeline.filter((e) => e.type === 'APPROVE_FULL_REFUND').map((e) => [e.actor.kind, e.actor.id])).toEqual([['merchant', shop.id]]);
    } finally {
      await receiver.close();
    }
  });

  it("a partial approval within the merchant's policy (fee kept back); above it or partial where the policy forbids it is a 422 and nothing changes", async () => {
    const merchant = await t.createMerchant(`m_fee_${randomBytes(3).toString('hex')}`);
    await setPolicy(merchant, { refundWindowDays: 14, partialRefundsAllowed: true, nonRefundableFeeMinor: 500 });
    const request = await openRequest(merchant);
    const view = (await t.http.get(`/v1/merchant/refund-requests/${request.id}`).set('Authorization', merchant.auth).expect(200)).body;
    expect(view).toMatchObject({ policy: { refund_window_days: 14, partial_refunds_allowed: true, non_refundable_fee: 500 }, refundable_amount: 19_500 });
    const before = await agentCase(request.id);

    const above = await t.http.post(`/v1/merchant/refund-requests/${request.id}/approve`).set('Authorization', merchant.auth).send({ amount: 19_501 }).expect(422);
    expect(above.body).toMatchObject({ code: 'REFUND_EXCEEDS_REMAINING', remainingMinor: 19_500, currency: 'CNY' });
    // The whole purchase ignores the fee: refused too.
    expect((await t.http.post(`/v1/merchant/refund-requests/${request.id}/approve`).set('Authorization', merchant.auth).send({ amount: 20_000 }).expect(422)).body.code).toBe(
      'REFUND_EXCEEDS_REMAINING',
    );
    for (const bad of [{ amount: 0 }, { amount: -5 }, { amount: 1.5 }, { amount: '100' }, { reason: '' }, { reason: 42 }]) {
      expect((await t.http.post(`/v1/merchant/refund-requests/${request.id}/approve`).set('Authorization', merchant.auth).send(bad).expect(400)).body.code).toBe(
        'VALIDATION_FAILED',
      );
    }
    expect((await t.http.post(`/v1/merchant/refund-requests/${request.id}/reject`).set('Authorization', merchant.auth).send({}).expect(400)).body.code).toBe('VALIDATION_FAILED');
    const after = await agentCase(request.id);
    expect([after.state, after.version]).toEqual([before.state, before.version]);
    expect(await refundRows(request.id)).toEqual([]);

    const partial = await t.http
      .post(`/v1/merchant/refund-requests/${request.id}/approve`)
      .set('Authorization', merchant.auth)
      .send({ amount: 8_000, reason: 'Box damaged' })
      .expect(200);
    expect(partial.body).toMatchObject({ status: 'refund_pending', decision: { outcome: 'partial_refund', amount: 8_000, reason: 'Box damaged', stage: 'merchant_response' } });
    await waitFor('the partial refund to settle', async () => (await agentCase(request.id)).state === 'resolved');
    expect(await refundRows(request.id)).toEqual([{ amount_minor: '8000', status: 'succeeded' }]);

    // The full amount named explicitly is a full refund (the amount less the fee).
    const exact = await openRequest(merchant);
    const full = await t.http.post(`/v1/merchant/refund-requests/${exact.id}/approve`).set('Authorization', merchant.auth).send({ amount: 19_500 }).expect(200);
    expect(full.body.decision).toMatchObject({ outcome: 'full_refund', amount: 19_500, reason: 'Approved by the merchant' });

    // Full refunds only, and a purchase outside the window.
    await setPolicy(merchant, { refundWindowDays: 2, partialRefundsAllowed: false, nonRefundableFeeMinor: 0 });
    const strict = await openRequest(merchant, { purchasedAt: daysAgo(1) });
    const partialRefused = await t.http.post(`/v1/merchant/refund-requests/${strict.id}/approve`).set('Authorization', merchant.auth).send({ amount: 1_000 }).expect(422);
    expect(partialRefused.body).toMatchObject({ code: 'REFUND_OUTSIDE_POLICY', rule: 'partial_refunds_not_allowed' });
    const late = await openRequest(merchant, { purchasedAt: daysAgo(3) });
    const lateView = (await t.http.get(`/v1/merchant/refund-requests/${late.id}`).set('Authorization', merchant.auth).expect(200)).body;
    expect(lateView.refundable_amount).toBe(0);
    expect((await t.http.post(`/v1/merchant/refund-requests/${late.id}/approve`).set('Authorization', merchant.auth).send({}).expect(422)).body).toMatchObject({
      code: 'REFUND_OUTSIDE_POLICY',
      rule: 'refund_window',
    });
    expect(await refundRows(late.id)).toEqual([]);
  });

  it('a rejection with a reason; the customer contests it and support decides (the merchant hears of it, cannot reject again, may still concede)', async () => {
    const request = await openRequest(shop, { customer: { id: 'u_contest' } });
    const rejected = await t.http
      .post(`/v1/merchant/refund-requests/${request.id}/reject`)
      .set('Authorization', shop.auth)
      .set('Idempotency-Key', `reject-${request.id}`)
      .send({ reason: 'The item was used' })
      .expect(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      decision: { outcome: 'rejected', amount: 0, reason: 'The item was used', stage: 'merchant_response' },
      allowed_actions: [],
    });

    // The customer (through the wallet's backend) sees the rejection and contests it.
    const customer = `Bearer ${mintCustomerToken(CUSTOMER_SECRET, 'u_contest')}`;
    const seen = (await t.http.get(`/v1/customer/cases/${request.id}?locale=en`).set('Authorization', customer).expect(200)).body;
    expect(seen.allowed_actions).toContain('appeal');
    await t.http.post(`/v1/customer/cases/${request.id}/appeal`).set('Authorization', customer).send({ reason: '收到时已经破损，有照片' }).expect(200);

    // It is back in the agents' queue, undecided.
    const queued = await agentCase(request.id);
    expect(queued.state).toBe('underReview.reviewing');
    const queue = (await t.http.get(`/v1/cases?kind=refund_request&state=underReview.reviewing&merchantId=${shop.id}&limit=200`).set('Authorization', t.auth).expect(200)).body;
    expect(queue.items.map((c: { id: string }) => c.id)).toContain(request.id);
    const contestedView = (await t.http.get(`/v1/merchant/refund-requests/${request.id}`).set('Authorization', shop.auth).expect(200)).body;
    expect(contestedView).toMatchObject({
      status: 'under_review',
      decision: null,
      contest: { reason: '收到时已经破损，有照片', rejected_reason: 'The item was used' },
      allowed_actions: ['approve'],
    });
    const notified = await t.sql<{ audience: string[] }>(
      `select payload->'audience' as audience from outbox where case_id = $1 and payload->>'topic' = 'refund_request.rejection_contested'`,
      [request.id],
    );
    expect(notified).toEqual([{ audience: ['merchant', 'agents'] }]);
    const rejectAgain = await t.http.post(`/v1/merchant/refund-requests/${request.id}/reject`).set('Authorization', shop.auth).send({ reason: 'Still used' }).expect(403);
    expect(rejectAgain.body.code).toBe('EVENT_NOT_PERMITTED');
    // A second contest is refused by the machine.
    await t.http.post(`/v1/customer/cases/${request.id}/appeal`).set('Authorization', customer).send({ reason: 'again' }).expect(409);

    // The agent decides: a refund, within their own limit.
    await t.http
      .post(`/v1/cases/${request.id}/events`)
      .set('Authorization', t.auth)
      .send({ type: 'APPROVE_PARTIAL_REFUND', payload: { amountMinor: 10_000, reason: 'Photos show transport damage' }, expectedVersion: queued.version })
      .expect(200);
    await waitFor('the refund to settle', async () => (await agentCase(request.id)).state === 'resolved');
    const final = (await t.http.get(`/v1/merchant/refund-requests/${request.id}`).set('Authorization', shop.auth).expect(200)).body;
    expect(final).toMatchObject({ status: 'refunded', amount_refunded: 10_000, decision: { outcome: 'partial_refund', stage: 'support_review' } });
  });

  it("merchants see and decide only their own requests: another merchant's is the same 404 as a missing one, and nothing changes", async () => {
    const mine = await openRequest(shop);
    const theirs = await openRequest(other);
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const id of [theirs.id, missing, 'not-a-uuid']) {
      expect((await t.http.get(`/v1/merchant/refund-requests/${id}`).set('Authorization', shop.auth).expect(404)).body.code).toBe('CASE_NOT_FOUND');
      expect((await t.http.post(`/v1/merchant/refund-requests/${id}/approve`).set('Authorization', shop.auth).send({}).expect(404)).body.code).toBe('CASE_NOT_FOUND');
      expect((await t.http.post(`/v1/merchant/refund-requests/${id}/reject`).set('Authorization', shop.auth).send({ reason: 'no' }).expect(404)).body.code).toBe('CASE_NOT_FOUND');
      expect((await t.http.get(`/v1/merchant/refund-requests/${id}/customer-evidence`).set('Authorization', shop.auth).expect(404)).body.code).toBe('CASE_NOT_FOUND');
    }
    const listed = (await t.http.get('/v1/merchant/refund-requests?limit=100').set('Authorization', shop.auth).expect(200)).body.data.map((r: { id: string }) => r.id);
    expect(listed).toContain(mine.id);
    expect(listed).not.toContain(theirs.id);
    // The other merchant's request was not touched.
    expect(await agentCase(theirs.id)).toMatchObject({ state: 'submitted', version: 1 });
    expect((await t.http.get('/v1/merchant/refund-requests?status=bogus').set('Authorization', shop.auth).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await t.http.get('/v1/merchant/refund-requests?cursor=nonsense').set('Authorization', shop.auth).expect(400)).body.code).toBe('VALIDATION_FAILED');
    await t.http.get('/v1/merchant/refund-requests').expect(401);
  });
});
