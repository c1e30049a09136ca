import { randomBytes } from 'node:crypto';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';
import { startWebhookReceiver } from '../support/webhook-receiver';

/**
 * A dispute goes to a merchant only if the merchant can hear of it: a forward to nobody would run
 * out the merchant's window in silence and decide the dispute against a merchant who was never asked.
 */
describe('forwarding a dispute to its merchant', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const merchantId = () => `m_fwd_${randomBytes(4).toString('hex')}`;
  const open = async (overrides: Record<string, unknown>) => (await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody(overrides)).expect(201)).body;
  const forward = (id: string) => t.http.post(`/v1/cases/${id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 });
  const getCase = async (id: string) => (await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200)).body;
  /** A secret key for the merchant, through the admin API. */
  const addKey = async (id: string) => {
    const key = (await t.http.post(`/v1/admin/merchants/${id}/api-keys`).set('Authorization', t.auth).send({ kind: 'secret' }).expect(201)).body;
    return { keyId: key.id as string, auth: `Bearer ${key.key}` };
  };
  /** A registered merchant with one secret key. */
  const register = async (id: string) => {
    await t.http
      .post('/v1/admin/merchants')
      .set('Authorization', t.auth)
      .send({ id, name: `Merchant ${id}` })
      .expect(201);
    return addKey(id);
  };
  const revoke = (id: string, keyId: string) => t.http.delete(`/v1/admin/merchants/${id}/api-keys/${keyId}`).set('Authorization', t.auth).expect(200);

  /** The refusal changed nothing: still open, version 1, no merchant window (so no silence can decide it), nothing in the timeline. */
  const expectStillWithAnAgent = async (id: string) => {
    const current = await getCase(id);
    expect(current).toMatchObject({ state: 'open', version: 1, deadlines: [] });
    expect(current.allowedEvents).not.toContain('FORWARD_TO_MERCHANT');
    expect(await t.sql(`select name from deadlines where case_id = $1 and kind = 'machine' and status = 'pending'`, [id])).toEqual([]);
    expect(await t.sql(`select type from case_events where case_id = $1 and type = 'FORWARD_TO_MERCHANT'`, [id])).toEqual([]);
    expect(await t.sql(`select type from outbox where case_id = $1 and payload->>'topic' = 'dispute.awaiting_merchant'`, [id])).toEqual([]);
    return current;
  };

  it('refuses a dispute that names no merchant (422 MERCHANT_UNREACHABLE) and leaves it open', async () => {
    const dispute = await open({ merchantId: undefined, transactionRef: undefined });
    expect(dispute).toMatchObject({ merchantId: null, merchantReachability: { reachable: false, reason: 'no_merchant' }, allowedEvents: ['WITHDRAW'] });
    const refused = await forward(dispute.id).expect(422);
    expect(refused.body).toMatchObject({ code: 'MERCHANT_UNREACHABLE', reason: 'no_merchant', caseId: dispute.id });
    expect(refused.body.message).toContain('names no merchant');
    const current = await expectStillWithAnAgent(dispute.id);
    // An event the state refuses offers what the case does: not the forward either.
    const notNow = await t.http
      .post(`/v1/cases/${dispute.id}/events`)
      .set('Authorization', t.auth)
      .send({ type: 'DECIDE_REJECT', expectedVersion: 1, payload: { reason: 'Delivered' } })
      .expect(409);
    expect(notNow.body).toMatchObject({ code: 'EVENT_NOT_ALLOWED', allowedEvents: current.allowedEvents });
  });

  it('refuses a merchant that is not registered, and forwards once it is registered with a key', async () => {
    const id = merchantId();
    const dispute = await open({ merchantId: id });
    expect(dispute.merchantReachability).toEqual({ reachable: false, reason: 'merchant_not_registered' });
    const refused = await forward(dispute.id).expect(422);
    expect(refused.body).toMatchObject({ code: 'MERCHANT_UNREACHABLE', reason: 'merchant_not_registered', merchantId: id });
    expect(refused.body.message).toContain('not registered');
    await expectStillWithAnAgent(dispute.id);

    await register(id);
    const reachable = await getCase(dispute.id);
    expect(reachable).toMatchObject({ merchantReachability: { reachable: true, reason: null }, allowedEvents: ['FORWARD_TO_MERCHANT', 'WITHDRAW'] });
    const forwarded = await forward(dispute.id).expect(200);
    expect(forwarded.body.state).toBe('awaitingMerchant');
    expect(forwarded.body.deadlines).toEqual([expect.objectContaining({ name: 'merchantResponseWindow' })]);
  });

  it('refuses a merchant whose only key was revoked', async () => {
    const id = merchantId();
    const { keyId } = await register(id);
    await revoke(id, keyId);
    const dispute = await open({ merchantId: id });
    expect(dispute.merchantReachability).toEqual({ reachable: false, reason: 'no_active_key_or_webhook' });
    const refused = await forward(dispute.id).expect(422);
    expect(refused.body).toMatchObject({ code: 'MERCHANT_UNREACHABLE', reason: 'no_active_key_or_webhook', merchantId: id });
    expect(refused.body.message).toContain('no active API key');
    await expectStillWithAnAgent(dispute.id);
  });

  it('forwards to a merchant whose only way in is a webhook endpoint that receives new disputes (not one that only hears of decisions)', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const id = merchantId();
      // Endpoints are made with a key; revoking the key afterwards leaves only the endpoint.
      const endpointOnly = async (events: string[]) => {
        const { keyId, auth } = await addKey(id);
        await t.http.post('/v1/merchant/webhook-endpoints').set('Authorization', auth).send({ url: receiver.url, events }).expect(200);
        await revoke(id, keyId);
      };
      await t.http
        .post('/v1/admin/merchants')
        .set('Authorization', t.auth)
        .send({ id, name: `Merchant ${id}` })
        .expect(201);
      await endpointOnly(['dispute.resolved']);
      const dispute = await open({ merchantId: id });
      expect((await forward(dispute.id).expect(422)).body).toMatchObject({ code: 'MERCHANT_UNREACHABLE', reason: 'no_active_key_or_webhook' });
      await expectStillWithAnAgent(dispute.id);

      await endpointOnly(['dispute.awaiting_merchant']);
      expect(await t.sql(`select count(*)::int as n from merchant_api_keys where merchant_id = $1 and revoked_at is null`, [id])).toEqual([{ n: 0 }]);
      expect((await getCase(dispute.id)).merchantReachability).toEqual({ reachable: true, reason: null });
      const forwarded = await forward(dispute.id).expect(200);
      expect(forwarded.body.state).toBe('awaitingMerchant');
    } finally {
      await receiver.close();
    }
  });

  it('forwards to a registered merchant with an active key (the default test merchant)', async () => {
    const dispute = await open({});
    expect(dispute).toMatchObject({ merchantId: t.defaultMerchant.id, merchantReachability: { reachable: true, reason: null } });
    expect((await forward(dispute.id).expect(200)).body.state).toBe('awaitingMerchant');
  });

  it('offers no merchant reachability on cases that are not disputes', async () => {
    const inquiry = (
      await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send({ kind: 'inquiry', channel: 'chat', subject: 'Fees?', customer: { id: 'u_1' } })
        .expect(201)
    ).body;
    expect(inquiry.merchantReachability).toBeNull();
  });
});
