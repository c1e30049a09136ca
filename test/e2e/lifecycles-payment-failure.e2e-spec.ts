import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * payment_failure v2 driven to its end against the real wallet simulator: the cause recorded by
 * the agent, "no funds taken" verified against the wallet's record of the transaction, and a
 * partial reversal paid back through the wallet.
 */
describe('payment_failure lifecycles against the wallet', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const ref = () => `PAY-${randomBytes(4).toString('hex').toUpperCase()}`;
  const open = async (transactionRef: string, amountMinor = 25_000) =>
    (
      await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send({
          kind: 'payment_failure',
          channel: 'app',
          subject: 'Payment failed but I was charged',
          customer: { id: 'u_pay' },
          transactionRef,
          amount: { amountMinor, currency: 'CNY' },
        })
        .expect(201)
    ).body;
  const getCase = async (id: string) => (await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200)).body;
  const send = async (id: string, type: string, payload: Record<string, unknown> = {}) => {
    const { version } = await getCase(id);
    return t.http.post(`/v1/cases/${id}/events`).set('Authorization', t.auth).send({ type, payload, expectedVersion: version });
  };
  const reaches = (id: string, state: string) => waitFor(`case ${id} to reach ${state}`, async () => ((await getCase(id)).state === state ? getCase(id) : undefined));
  const investigated = async (transactionRef: string, cause: string) => {
    const opened = await open(transactionRef);
    await send(opened.id, 'START_INVESTIGATION').then((r) => expect(r.status).toBe(200));
    const before = await send(opened.id, 'CLOSE_NO_FUNDS_TAKEN', { reason: 'too early' });
    expect([before.status, before.body.code]).toEqual([409, 'EVENT_NOT_ALLOWED']);
    const recorded = await send(opened.id, 'RECORD_CAUSE', { cause, note: 'Found in the gateway log' });
    expect(recorded.status).toBe(200);
    expect(recorded.body.details).toMatchObject({ cause, causeNote: 'Found in the gateway log' });
    return opened;
  };

  it('no funds taken: closed once the wallet shows the transaction failed', async () => {
    const transactionRef = ref();
    await t.wallet.createTransaction({ ref: transactionRef, amount_minor: 25_000, currency: 'CNY', status: 'failed' });
    const opened = await investigated(transactionRef, 'insufficient_balance');
    await send(opened.id, 'CLOSE_NO_FUNDS_TAKEN', { reason: 'Declined for balance; nothing was captured' }).then((r) => expect(r.status).toBe(200));
    const resolved = await reaches(opened.id, 'resolved');
    expect(resolved.details).toMatchObject({ outcome: 'no_funds_taken', noFundsTakenVerifiedBy: 'wallet', walletStatus: 'failed', cause: 'insufficient_balance' });
    expect(await t.wallet.refunds()).toEqual([]);
  });

  it("no funds taken is refused by the wallet's record when the money was captured: back to the agent", async () => {
    const transactionRef = ref();
    await t.wallet.createTransaction({ ref: transactionRef, amount_minor: 25_000, currency: 'CNY' });
    const opened = await investigated(transactionRef, 'merchant');
    await send(opened.id, 'CLOSE_NO_FUNDS_TAKEN', { reason: 'The customer says nothing left the account' });
    const back = await reaches(opened.id, 'investigating.tracing');
    expect(back.details).toMatchObject({ outcome: null, walletStatus: 'captured' });
    const told = await t.sql<{ payload: { topic: string } }>(`select payload from outbox where case_id = $1 and type = 'notify'`, [opened.id]);
    expect(told.map((row) => row.payload.topic)).toContain('payment_failure.funds_taken');
  });

  it('partial reversal: only what is asked goes back, through the wallet, and the case says so', async () => {
    const transactionRef = ref();
    await t.wallet.createTransaction({ ref: transactionRef, amount_minor: 25_000, currency: 'CNY' });
    const opened = await investigated(transactionRef, 'bank');
    const tooMuch = await send(opened.id, 'REVERSE_PAYMENT', { reason: 'Everything and more', amountMinor: 25_001 });
    expect([tooMuch.status, tooMuch.body.code]).toEqual([422, 'REFUND_EXCEEDS_REMAINING']);
    await send(opened.id, 'REVERSE_PAYMENT', { reason: 'Service fee was legitimately kept', amountMinor: 20_000 }).then((r) => expect(r.status).toBe(200));

    const resolved = await reaches(opened.id, 'resolved');
    expect(resolved.details).toMatchObject({ outcome: 'partially_reversed', refundedMinor: 20_000, reversalAmountMinor: 20_000, cause: 'bank' });
    const refunds = (await t.wallet.refunds()).filter((refund) => refund.transaction_ref === transactionRef);
    expect(refunds.map((refund) => [refund.amount_minor, refund.status])).toEqual([[20_000, 'succeeded']]);
  });

  it('full reversal by default', async () => {
    const transactionRef = ref();
    await t.wallet.createTransaction({ ref: transactionRef, amount_minor: 25_000, currency: 'CNY' });
    const opened = await investigated(transactionRef, 'network');
    await send(opened.id, 'REVERSE_PAYMENT', { reason: 'Debited, the merchant never got it' });
    const resolved = await reaches(opened.id, 'resolved');
    expect(resolved.details).toMatchObject({ outcome: 'reversed', refundedMinor: 25_000 });
    const refunds = (await t.wallet.refunds()).filter((refund) => refund.transaction_ref === transactionRef);
    expect(refunds.map((refund) => refund.amount_minor)).toEqual([25_000]);
  });
});
