import { acceptForMerchant } from '../support/four-eyes';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

describe('a dispute through the HTTP API, driven by real deadlines and workers', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Windows of a few seconds instead of days; the machines and the deadline path are the real ones.
    t = await startTestApp({ DISPUTE_MERCHANT_RESPONSE_SECONDS: '1', APPEAL_WINDOW_SECONDS: '2', INFO_REPLY_SECONDS: '3600' });
  });
  afterAll(() => t.close());

  const getCase = async (id: string) => (await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200)).body;
  const send = (id: string, type: string, expectedVersion: number, payload?: Record<string, unknown>) =>
    t.http.post(`/v1/cases/${id}/events`).set('Authorization', t.auth).send({ type, expectedVersion, payload });

  it('a merchant who stays silent loses: the window expires, the full refund goes out, the case closes after the appeal window', async () => {
    const opened = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201);
    expect(opened.body).toMatchObject({ kind: 'dispute', state: 'open', version: 1, allowedEvents: ['FORWARD_TO_MERCHANT', 'WITHDRAW'] });

    const forwarded = await send(opened.body.id, 'FORWARD_TO_MERCHANT', 1).expect(200);
    expect(forwarded.body.state).toBe('awaitingMerchant');
    expect(forwarded.body.deadlines).toEqual([expect.objectContaining({ name: 'merchantResponseWindow', label: 'Merchant response due' })]);

    const resolved = await waitFor('the refund after the merchant window', async () => {
      const current = await getCase(opened.body.id);
      return current.state === 'resolved' ? current : undefined;
    });
    expect(resolved.details.refundedMinor).toBe(10_000);
    expect(resolved.details.decisions).toEqual([expect.objectContaining({ outcome: 'full_refund', decidedBy: 'deadline', amountMinor: 10_000 })]);
    expect(resolved.allowedEvents).toEqual(['APPEAL']);

    const closed = await waitFor('the appeal window to close the case', async () => {
      const current = await getCase(opened.body.id);
      return current.state === 'closed' ? current : undefined;
    });
    expect(closed).toMatchObject({ status: 'done', allowedEvents: [], deadlines: [] });

    const timeline = (await t.http.get(`/v1/cases/${opened.body.id}/timeline`).set('Authorization', t.auth).expect(200)).body;
    expect(timeline.map((e: { type: string; from: string | null; to: string }) => [e.type, e.from, e.to])).toEqual([
      ['xstate.init', null, 'open'],
      ['FORWARD_TO_MERCHANT', 'open', 'awaitingMerchant'],
      ['xstate.after.merchantResponseWindow.dispute.awaitingMerchant', 'awaitingMerchant', 'refunding.pending'],
      ['REFUND_SUCCEEDED', 'refunding.pending', 'resolved'],
      ['xstate.after.appealWindow.dispute.resolved', 'resolved', 'closed'],
    ]);
    expect(timeline[2].actor).toEqual({ kind: 'system', id: 'clock', name: null });

    const refunds = await t.sql('select amount_minor, status from refunds where case_id = $1', [opened.body.id]);
    expect(refunds).toEqual([{ amount_minor: '10000', status: 'succeeded' }]);
  });

  it('the contest path: information request, partial refund decision, refund, never more than disputed', async () => {
    const { body: opened } = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ amount: { amountMinor: 25_000, currency: 'CNY' } }))
      .expect(201);
    let version = opened.version;
    for (const [type, payload] of [
      ['FORWARD_TO_MERCHANT', undefined],
      ['MERCHANT_CONTEST', { summary: 'Tracking shows delivery to the front desk.' }],
      ['REQUEST_CUSTOMER_INFO', { question: 'Did the front desk receive it?' }],
      ['CUSTOMER_INFO_PROVIDED', { summary: 'Front desk has no record.' }],
    ] as const) {
      const response = await send(opened.id, type, version, payload).expect(200);
      version = response.body.version;
    }
    const reviewing = await getCase(opened.id);
    expect(reviewing.state).toBe('investigation.reviewing');
    expect(reviewing.allowedEvents).toEqual(expect.arrayContaining(['DECIDE_FULL_REFUND', 'DECIDE_PARTIAL_REFUND', 'DECIDE_REJECT', 'REQUEST_MERCHANT_INFO']));

    const tooMuch = await send(opened.id, 'DECIDE_PARTIAL_REFUND', version, { amountMinor: 25_000, reason: 'half' }).expect(422);
    expect(tooMuch.body).toMatchObject({ code: 'REFUND_EXCEEDS_REMAINING', remainingMinor: 25_000 });

    await send(opened.id, 'DECIDE_PARTIAL_REFUND', version, { amountMinor: 10_000, reason: 'Box damaged, item usable' }).expect(200);
    const resolved = await waitFor('the partial refund', async () => {
      const current = await getCase(opened.id);
      return current.state === 'resolved' ? current : undefined;
    });
    expect(resolved.details).toMatchObject({ refundedMinor: 10_000, pendingRefundMinor: 0 });
    expect(resolved.details.decisions).toEqual([expect.objectContaining({ outcome: 'partial_refund', amountMinor: 10_000, decidedBy: 'agent', stage: 'first' })]);
    const [{ total }] = await t.sql<{ total: string }>(`select coalesce(sum(amount_minor), 0) as total from refunds where case_id = $1 and status = 'succeeded'`, [opened.id]);
    expect(Number(total)).toBe(10_000);
  });

  it('a refund whose answer timed out after paying is looked up by its key, not paid again', async () => {
    // TIMEOUT-: the wallet carries the first request out but holds its answer past our timeout.
    const transactionRef = `TIMEOUT-${Date.now()}`;
    const { body: opened } = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody({ transactionRef })).expect(201);
    await send(opened.id, 'FORWARD_TO_MERCHANT', 1).expect(200);
    const resolved = await waitFor('the refund to settle after the timeout', async () => {
      const current = await getCase(opened.id);
      return current.state === 'resolved' ? current : undefined;
    });
    expect(resolved.details.refundedMinor).toBe(10_000);
    const attempts = await t.sql<{ status: string; gateway_refund_id: string | null; idempotency_key: string }>(
      'select status, gateway_refund_id, idempotency_key from refunds where case_id = $1 order by attempt',
      [opened.id],
    );
    expect(attempts).toEqual([expect.objectContaining({ status: 'succeeded' })]);
    // The callback may settle the case before the held answer times out; the timed-out try is
    // then retried and must find the refund settled, not pay again.
    await waitFor('the timed-out try to be retried and finish', async () => {
      const [effect] = await t.sql<{ status: string; attempts: number }>(`select status, attempts from outbox where case_id = $1 and type = 'requestRefund'`, [opened.id]);
      return effect!.status === 'done' && effect!.attempts >= 2;
    });
    const paid = (await t.wallet.refunds()).filter((refund) => refund.transaction_ref === transactionRef);
    expect(paid).toEqual([expect.objectContaining({ amount_minor: 10_000, refund_id: attempts[0]!.gateway_refund_id, idempotency_key: attempts[0]!.idempotency_key })]);
  });

  it('supervisors re-drive effects the workers gave up on, and a re-driven refund is not paid twice', async () => {
    const { body: opened } = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201);
    await send(opened.id, 'FORWARD_TO_MERCHANT', 1).expect(200);
    await acceptForMerchant(t, opened.id, 2);
    await waitFor('the refund', async () => (await getCase(opened.id)).state === 'resolved');
    // As if BullMQ had given up on the refund after its last attempt.
    const [refundRow] = await t.sql<{ id: string }>(`select id from outbox where case_id = $1 and type = 'requestRefund'`, [opened.id]);
    await t.sql(`update outbox set status = 'failed', last_error = 'gateway down' where id = $1`, [refundRow!.id]);
    // What an alert watches: failed effects show in /metrics until someone re-drives them.
    const failedRefunds = async () => Number(/^effects_unfinished\{type="requestRefund",status="failed"\} (\d+)$/m.exec((await t.http.get('/metrics').expect(200)).text)?.[1]);
    expect(await failedRefunds()).toBeGreaterThanOrEqual(1);
    const failedBefore = await failedRefunds();

    const agent = await t.login('redrive-agent@test.local', 'agent');
    await t.http.post(`/v1/cases/${opened.id}/effects/redrive`).set('Authorization', agent.auth).expect(403);
    const redriven = await t.http.post(`/v1/cases/${opened.id}/effects/redrive`).set('Authorization', t.auth).expect(200);
    expect(redriven.body.redriven).toEqual([refundRow!.id]);
    await waitFor('the re-driven effect to run', async () => {
      const [row] = await t.sql<{ status: string }>('select status from outbox where id = $1', [refundRow!.id]);
      return row!.status === 'done';
    });
    const refunds = await t.sql('select status from refunds where case_id = $1', [opened.id]);
    expect(refunds).toEqual([{ status: 'succeeded' }]);
    expect((await getCase(opened.id)).details.refundedMinor).toBe(10_000);
    expect(await failedRefunds()).toBe(failedBefore - 1);
    expect((await t.http.post(`/v1/cases/${opened.id}/effects/redrive`).set('Authorization', t.auth).expect(200)).body.redriven).toEqual([]);
  });

  it('a refused event is a 409 that lists what is allowed now, and changes nothing', async () => {
    const { body: opened } = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201);
    const refused = await send(opened.id, 'DECIDE_FULL_REFUND', 1, { reason: 'too early' }).expect(409);
    expect(refused.body).toMatchObject({ code: 'EVENT_NOT_ALLOWED', state: 'open', allowedEvents: ['FORWARD_TO_MERCHANT', 'WITHDRAW'] });
    expect((await getCase(opened.id)).version).toBe(1);

    const stale = await send(opened.id, 'FORWARD_TO_MERCHANT', 7).expect(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 1, expectedVersion: 7 });
  });
});
