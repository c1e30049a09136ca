import { acceptForMerchant } from '../support/four-eyes';
import { randomBytes } from 'node:crypto';
import { signWalletRequest } from '@app/wallet';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * POST /v1/wallet/events as the wallet calls it: signed over the raw body with the callback
 * secret. Forged, stale, malformed and unknown callbacks are refused and change nothing; an event
 * the case no longer expects is recorded without being applied.
 */
describe('the wallet events endpoint', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Slow settlements: the tests below send the refund callbacks themselves.
    t = await startTestApp({}, { walletSimEnv: { SIM_SETTLEMENT_DELAY_MS: '600000' } });
  });
  afterAll(() => t.close());

  const PATH = '/v1/wallet/events';
  const post = (body: string, options: { secret?: string; at?: Date; signature?: string } = {}) => {
    const headers = signWalletRequest(options.secret ?? t.wallet.callbackSecret, { method: 'POST', pathWithQuery: PATH, body }, options.at ?? new Date());
    if (options.signature) headers['x-wallet-signature'] = options.signature;
    return t.http.post(PATH).set('content-type', 'application/json').set(headers).send(body);
  };
  const getCase = async (id: string) => (await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200)).body;
  const eventId = () => `wev_${randomBytes(8).toString('hex')}`;

  /** A dispute whose full refund the wallet holds as processing (settlement is 10 minutes away). */
  const processingRefund = async () => {
    const { body: opened } = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201);
    await t.http.post(`/v1/cases/${opened.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
    await acceptForMerchant(t, opened.id, 2);
    const [refund] = await waitFor('the wallet to take the refund', async () => {
      const rows = await t.sql<{ idempotency_key: string; gateway_refund_id: string; status: string }>(
        'select idempotency_key, gateway_refund_id, status from refunds where case_id = $1',
        [opened.id],
      );
      return rows[0]?.status === 'processing' ? rows : undefined;
    });
    return { caseId: opened.id as string, key: refund!.idempotency_key, refundId: refund!.gateway_refund_id, transactionRef: opened.transactionRef as string };
  };
  const succeeded = (refund: { key: string; refundId: string; transactionRef: string }, id = eventId()) =>
    JSON.stringify({
      id,
      type: 'refund.succeeded',
      created_at: new Date().toISOString(),
      data: {
        refund_id: refund.refundId,
        idempotency_key: refund.key,
        transaction_ref: refund.transactionRef,
        amount_minor: 10_000,
        currency: 'CNY',
        settled_at: new Date().toISOString(),
      },
    });
  /** What a refused callback must not have changed. */
  const unchanged = async (refund: { caseId: string; key: string }) => {
    expect(await t.sql('select status from refunds where idempotency_key = $1', [refund.key])).toEqual([{ status: 'processing' }]);
    expect(await t.sql('select event_id from wallet_events_received where idempotency_key = $1', [refund.key])).toEqual([]);
    expect((await getCase(refund.caseId)).state).toBe('refunding.pending');
  };

  it('refuses a forged signature, a wrong secret, a missing signature and a stale timestamp, and changes nothing', async () => {
    const refund = await processingRefund();
    const body = succeeded(refund);
    expect((await post(body, { signature: `v1=${'0'.repeat(64)}` }).expect(401)).body).toMatchObject({ code: 'INVALID_SIGNATURE' });
    expect((await post(body, { secret: 'not-the-callback-secret-at-all' }).expect(401)).body).toMatchObject({ code: 'INVALID_SIGNATURE' });
    expect((await t.http.post(PATH).set('content-type', 'application/json').send(body).expect(401)).body).toMatchObject({ code: 'INVALID_SIGNATURE' });
    // Signed over other bytes than those sent (a re-serialised body does not verify).
    const headers = signWalletRequest(t.wallet.callbackSecret, { method: 'POST', pathWithQuery: PATH, body }, new Date());
    await t.http.post(PATH).set('content-type', 'application/json').set(headers).send(` ${body}`).expect(401);
    expect((await post(body, { at: new Date(Date.now() - 10 * 60 * 1000) }).expect(401)).body).toMatchObject({ code: 'STALE_SIGNATURE' });
    await unchanged(refund);
  });

  it('refuses malformed bodies with 400, an unknown reference with 404 UNKNOWN_REFERENCE, and changes nothing', async () => {
    const refund = await processingRefund();
    expect((await post('{"id": "wev_1", "type": "refund.succeeded"').expect(400)).body.code).toBeDefined();
    const missingData = JSON.stringify({ id: eventId(), type: 'refund.succeeded', created_at: new Date().toISOString(), data: { idempotency_key: refund.key } });
    expect((await post(missingData).expect(400)).body).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: expect.arrayContaining([expect.objectContaining({ path: 'data.refund_id' })]),
    });
    const unknownType = JSON.stringify({ id: eventId(), type: 'refund.exploded', created_at: new Date().toISOString(), data: {} });
    expect((await post(unknownType).expect(400)).body.code).toBe('VALIDATION_FAILED');
    const unknown = await post(succeeded({ ...refund, key: `${refund.key}-not-ours` })).expect(404);
    expect(unknown.body).toMatchObject({ code: 'UNKNOWN_REFERENCE' });
    await unchanged(refund);
  });

  it('applies a signed callback once: the same id again is a duplicate, another id for a settled refund is not applied', async () => {
    const refund = await processingRefund();
    const id = eventId();
    const body = succeeded(refund, id);
    expect((await post(body).expect(200)).body).toEqual({ received: true });
    const resolved = await getCase(refund.caseId);
    expect(resolved.state).toBe('resolved');
    expect(resolved.refunds).toEqual([expect.objectContaining({ status: 'succeeded', walletRefundId: refund.refundId })]);

    expect((await post(body).expect(200)).body).toEqual({ received: true, duplicate: true });
    // A later, different event about the same refund: recorded, but the case does not hear it twice.
    const again = succeeded(refund);
    expect((await post(again).expect(200)).body).toEqual({ received: true, applied: false });
    expect(await t.sql('select applied from wallet_events_received where idempotency_key = $1 order by received_at', [refund.key])).toEqual([
      { applied: true },
      { applied: false },
    ]);
    const after = await getCase(refund.caseId);
    expect(after.version).toBe(resolved.version);
    expect(after.details.refundedMinor).toBe(10_000);
  });

  it("an account freeze is confirmed by the wallet's callback; a confirmation the case no longer waits for is recorded, not applied", async () => {
    const customer = `u-${randomBytes(4).toString('hex')}`;
    const { body: opened } = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send({ kind: 'account_security', channel: 'hotline', subject: 'Account taken over', customer: { id: customer }, securityReport: 'stolen_account' })
      .expect(201);
    const [action] = await waitFor('the freeze to be confirmed', async () => {
      const rows = await t.sql<{ id: string; kind: string; status: string; account_id: string; wallet_action_id: string | null; idempotency_key: string }>(
        'select id, kind, status, account_id, wallet_action_id, idempotency_key from wallet_account_actions where case_id = $1',
        [opened.id],
      );
      return rows[0]?.status === 'completed' ? rows : undefined;
    });
    expect(action).toMatchObject({ kind: 'freeze', account_id: customer, wallet_action_id: expect.any(String) });
    expect(await t.sql('select type, applied from wallet_events_received where idempotency_key = $1', [action!.idempotency_key])).toEqual([
      { type: 'account.frozen', applied: true },
    ]);
    const frozen = await getCase(opened.id);
    const timeline = (await t.http.get(`/v1/cases/${opened.id}/timeline`).set('Authorization', t.auth).expect(200)).body as Array<{ type: string; actor: { id: string } }>;
    expect(timeline.filter((event) => event.type === 'ACCOUNT_FROZEN').map((event) => event.actor.id)).toEqual(['wallet']);

    // As if the confirmation had been overtaken (the row reopened): the machine refuses a second
    // ACCOUNT_FROZEN, so the callback is recorded as not applied and the case does not move.
    await t.sql(`update wallet_account_actions set status = 'processing' where id = $1`, [action!.id]);
    const late = JSON.stringify({
      id: eventId(),
      type: 'account.frozen',
      created_at: new Date().toISOString(),
      data: { action_id: action!.wallet_action_id, idempotency_key: action!.idempotency_key, account_id: customer },
    });
    expect((await post(late).expect(200)).body).toEqual({ received: true, applied: false });
    expect((await getCase(opened.id)).version).toBe(frozen.version);
    expect(await t.sql('select status from wallet_account_actions where id = $1', [action!.id])).toEqual([{ status: 'completed' }]);
  });
});
