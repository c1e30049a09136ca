import { randomBytes } from 'node:crypto';
import { signWalletRequest } from '@app/wallet';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * The wallet in the loop: cases are held against the wallet's transaction when they open, and the
 * money of every case of one transaction adds up on one refund ledger. Real API with in-process
 * workers, real PostgreSQL and Redis, and the wallet simulator as a separate process.
 */
const ref = (prefix = 'TX') => `${prefix}-${randomBytes(5).toString('hex').toUpperCase()}`;
const purchasedAt = () => new Date(Date.now() - 24 * 3600 * 1000).toISOString();

interface Ledger {
  captured_minor: string;
  committed_minor: string;
  refunded_minor: string;
  currency: string;
}

function helpers(t: () => TestApp) {
  const getCase = async (id: string, auth = t().auth) => (await t().http.get(`/v1/cases/${id}`).set('Authorization', auth).expect(200)).body;
  const send = (id: string, type: string, expectedVersion: number, payload?: Record<string, unknown>, auth = t().auth) =>
    t().http.post(`/v1/cases/${id}/events`).set('Authorization', auth).send({ type, expectedVersion, payload });
  /** Sends events in order, each at the version the last one left. */
  const drive = async (id: string, steps: Array<[string, Record<string, unknown>?]>) => {
    let version = (await getCase(id)).version as number;
    for (const [type, payload] of steps) {
      const response = await send(id, type, version, payload);
      if (response.status !== 200) throw new Error(`${type} answered ${response.status}: ${JSON.stringify(response.body)}`);
      version = response.body.version;
    }
    return getCase(id);
  };
  const open = async (body: Record<string, unknown>) => {
    const response = await t().http.post('/v1/cases').set('Authorization', t().auth).send(body);
    if (response.status !== 201) throw new Error(`open answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const ledger = async (transactionRef: string) =>
    (await t().sql<Ledger>('select captured_minor, committed_minor, refunded_minor, currency from refund_ledgers where transaction_ref = $1', [transactionRef]))[0];
  const seed = (transactionRef: string, amountMinor: number, merchantId: string | null = 'm_1') =>
    t().wallet.createTransaction({ ref: transactionRef, amount_minor: amountMinor, currency: 'CNY', merchant_id: merchantId });
  return { getCase, send, drive, open, ledger, seed };
}

describe('a case is held against the wallet’s transaction when it opens', () => {
  let t: TestApp;
  const { getCase, send, drive, open, ledger, seed } = helpers(() => t);
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const countRows = async (transactionRef: string) => {
    const [cases] = await t.sql<{ n: string }>('select count(*) as n from cases where transaction_ref = $1', [transactionRef]);
    const [ledgers] = await t.sql<{ n: string }>('select count(*) as n from refund_ledgers where transaction_ref = $1', [transactionRef]);
    return { cases: Number(cases!.n), ledgers: Number(ledgers!.n) };
  };

  it('refuses an unknown transaction, more than it, another currency, another merchant; nothing is written', async () => {
    const unknown = ref('UNKNOWN');
    const notFound = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ transactionRef: unknown }))
      .expect(422);
    expect(notFound.body).toMatchObject({ code: 'TRANSACTION_NOT_FOUND', transactionRef: unknown });
    expect(await countRows(unknown)).toEqual({ cases: 0, ledgers: 0 });

    const tx = ref();
    await seed(tx, 10_000, 'm_1');
    const tooMuch = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ transactionRef: tx, amount: { amountMinor: 10_001, currency: 'CNY' } }))
      .expect(422);
    expect(tooMuch.body).toMatchObject({ code: 'AMOUNT_EXCEEDS_TRANSACTION', transactionAmountMinor: 10_000 });
    const otherCurrency = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ transactionRef: tx, amount: { amountMinor: 100, currency: 'USD' } }))
      .expect(422);
    expect(otherCurrency.body.code).toBe('CURRENCY_MISMATCH');
    const otherMerchant = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ transactionRef: tx, merchantId: 'm_2' }))
      .expect(422);
    expect(otherMerchant.body).toMatchObject({ code: 'MERCHANT_MISMATCH', transactionMerchantId: 'm_1' });
    // The intake API is held the same way.
    const intake = await t.http
      .post('/v1/intake/cases')
      .set('Authorization', t.intakeAuth)
      .send({ ...disputeBody({ transactionRef: tx, amount: { amountMinor: 20_000, currency: 'CNY' } }), channel: 'app' })
      .expect(422);
    expect(intake.body.code).toBe('AMOUNT_EXCEEDS_TRANSACTION');
    expect(await countRows(tx)).toEqual({ cases: 0, ledgers: 0 });
  });

  it('fills in what the wallet knows: the whole amount when none is given, its merchant, and opens the transaction’s ledger', async () => {
    const tx = ref();
    await seed(tx, 12_345, 'm_wallet');
    const { merchantId: _omitted, amount: _none, ...body } = disputeBody({ transactionRef: tx });
    const opened = await open(body);
    expect(opened).toMatchObject({ amount: { amountMinor: 12_345, currency: 'CNY' }, merchantId: 'm_wallet', transactionRef: tx });
    expect(await ledger(tx)).toEqual({ captured_minor: '12345', committed_minor: '0', refunded_minor: '0', currency: 'CNY' });

    // The simulator's automatic transactions know no merchant: the opener's stands.
    const auto = ref();
    const withOpener = await open(disputeBody({ transactionRef: auto, merchantId: 'm_opener' }));
    expect(withOpener.merchantId).toBe('m_opener');
    expect((await ledger(auto))!.captured_minor).toBe('100000000');
  });

  it('counts what the wallet refunded before any case of ours as refunded', async () => {
    const tx = ref();
    await seed(tx, 10_000, null);
    // Another channel refunds 2,500 of it at the wallet directly.
    const body = JSON.stringify({ idempotency_key: `elsewhere-${tx}`, transaction_ref: tx, amount_minor: 2_500, currency: 'CNY', reason: 'refunded at the counter' });
    const headers = signWalletRequest(t.wallet.apiSecret, { method: 'POST', pathWithQuery: '/v1/refunds', body }, new Date());
    const paid = await fetch(`${t.wallet.baseUrl}/v1/refunds`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
    expect(paid.status).toBe(200);
    await waitFor('the other refund to settle', async () => (await t.wallet.refunds()).some((refund) => refund.transaction_ref === tx && refund.status === 'succeeded'));

    const opened = await open(disputeBody({ transactionRef: tx, amount: { amountMinor: 10_000, currency: 'CNY' } }));
    expect(await ledger(tx)).toEqual({ captured_minor: '10000', committed_minor: '0', refunded_minor: '2500', currency: 'CNY' });
    const reviewing = await drive(opened.id, [['FORWARD_TO_MERCHANT'], ['MERCHANT_CONTEST', { summary: 'no' }]]);
    const refused = await send(opened.id, 'DECIDE_FULL_REFUND', reviewing.version, { reason: 'all' }).expect(422);
    expect(refused.body).toMatchObject({ code: 'REFUND_EXCEEDS_TRANSACTION', availableMinor: 7_500 });
  });

  it('normalises the reference before storing and comparing it, also for the one-open-case rule', async () => {
    const tx = ref();
    await seed(tx, 5_000, null);
    const opened = await open(disputeBody({ transactionRef: `  ${tx.toLowerCase()} `, amount: { amountMinor: 5_000, currency: 'CNY' } }));
    expect(opened.transactionRef).toBe(tx);
    const duplicate = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ transactionRef: tx, amount: { amountMinor: 5_000, currency: 'CNY' } }))
      .expect(409);
    expect(duplicate.body).toMatchObject({ code: 'DUPLICATE_CASE', existingCaseId: opened.id });

    const intakeBody = {
      kind: 'refund_request',
      subject: 'Refund please',
      customer: { id: 'u_norm' },
      transactionRef: ` ${tx.toLowerCase()}`,
      amount: { amountMinor: 1_000, currency: 'CNY' },
      reason: 'changed mind',
      purchasedAt: purchasedAt(),
    };
    const first = await t.http.post('/v1/intake/cases').set('Authorization', t.intakeAuth).send(intakeBody).expect(200);
    expect(first.body).toMatchObject({ created: true, case: { transactionRef: tx } });
    const again = await t.http
      .post('/v1/intake/cases')
      .set('Authorization', t.intakeAuth)
      .send({ ...intakeBody, transactionRef: tx })
      .expect(200);
    expect(again.body).toMatchObject({ created: false, case: { id: first.body.case.id } });
    expect(await countRows(tx)).toEqual({ cases: 2, ledgers: 1 });
    expect((await getCase(first.body.case.id)).transactionRef).toBe(tx);
  });
});

describe('one refund ledger per transaction: no combination of cases refunds more than was captured', () => {
  let t: TestApp;
  const { getCase, send, drive, open, ledger, seed } = helpers(() => t);
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A dispute, a refund request and a payment failure on one transaction, each one event away from refunding. */
  const threeCasesReadyToDecide = async (tx: string, amountMinor: number) => {
    const amount = { amountMinor, currency: 'CNY' };
    const dispute = await open(disputeBody({ transactionRef: tx, amount }));
    await drive(dispute.id, [['FORWARD_TO_MERCHANT'], ['MERCHANT_CONTEST', { summary: 'Delivered.' }]]);
    const refundRequest = await open({
      kind: 'refund_request',
      channel: 'app',
      subject: 'Refund',
      customer: { id: 'u_2' },
      transactionRef: tx,
      amount,
      reason: 'changed mind',
      purchasedAt: purchasedAt(),
    });
    await drive(refundRequest.id, [['START_REVIEW']]);
    const paymentFailure = await open({
      kind: 'payment_failure',
      channel: 'app',
      subject: 'Debited twice',
      customer: { id: 'u_3' },
      transactionRef: tx,
      amount,
      reason: 'debited twice',
    });
    await drive(paymentFailure.id, [['START_INVESTIGATION'], ['RECORD_CAUSE', { cause: 'bank' }]]);
    return { dispute: await getCase(dispute.id), refundRequest: await getCase(refundRequest.id), paymentFailure: await getCase(paymentFailure.id) };
  };

  it('20 decisions racing over HTTP on the cases of one transaction commit exactly what was captured; the rest are 422 REFUND_EXCEEDS_TRANSACTION', async () => {
    const tx = ref('SLOW');
    await seed(tx, 8_000);
    const { dispute, refundRequest, paymentFailure } = await threeCasesReadyToDecide(tx, 5_000);
    // Every request asks for 4,000 of the 8,000 captured: two cases fit exactly, the third never does.
    const requests = Array.from({ length: 20 }, (_, i) => {
      const payload = { amountMinor: 4_000, reason: `race ${i}` };
      if (i % 3 === 0) return send(dispute.id, 'DECIDE_PARTIAL_REFUND', dispute.version, payload);
      if (i % 3 === 1) return send(refundRequest.id, 'APPROVE_PARTIAL_REFUND', refundRequest.version, payload);
      return send(paymentFailure.id, 'REVERSE_PAYMENT', paymentFailure.version, payload);
    });
    const responses = await Promise.all(requests);
    const ok = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status === 422);
    expect(ok).toHaveLength(2);
    expect(refused.length).toBeGreaterThan(0);
    for (const response of refused) expect(response.body).toMatchObject({ code: 'REFUND_EXCEEDS_TRANSACTION', capturedMinor: 8_000 });
    // The rest lost the race on their own case (its winner moved it on first).
    for (const response of responses.filter((r) => r.status !== 200 && r.status !== 422)) {
      expect(response.status).toBe(409);
      expect(['VERSION_CONFLICT', 'EVENT_NOT_ALLOWED']).toContain(response.body.code);
    }

    const committed = await t.sql<{ amount: string }>(`select (payload->>'amountMinor') as amount from outbox where type = 'requestRefund' and case_id = any($1::uuid[])`, [
      [dispute.id, refundRequest.id, paymentFailure.id],
    ]);
    expect(committed).toEqual([{ amount: '4000' }, { amount: '4000' }]);
    // SLOW- refunds stay processing at the wallet: all of it is committed, none refunded yet.
    expect(await ledger(tx)).toEqual({ captured_minor: '8000', committed_minor: '8000', refunded_minor: '0', currency: 'CNY' });
    const shares = await t.sql<{ committed_minor: string }>('select committed_minor from refund_ledger_shares where transaction_ref = $1 and committed_minor > 0', [tx]);
    expect(shares).toHaveLength(2);
  });

  it('per kind: a decision commits, REFUND_SUCCEEDED moves it to refunded, a later case is held to what is left, an appeal too', async () => {
    const tx = ref();
    await seed(tx, 10_000);
    const { dispute, refundRequest, paymentFailure } = await threeCasesReadyToDecide(tx, 10_000);

    await send(dispute.id, 'DECIDE_PARTIAL_REFUND', dispute.version, { amountMinor: 3_000, reason: 'partly' }).expect(200);
    expect(await ledger(tx)).toMatchObject({ committed_minor: '3000', refunded_minor: '0' });
    const resolved = await waitFor('the dispute’s refund to settle', async () => {
      const current = await getCase(dispute.id);
      return current.state === 'resolved' ? current : undefined;
    });
    expect(resolved.details.refundedMinor).toBe(3_000);
    expect(await ledger(tx)).toMatchObject({ committed_minor: '0', refunded_minor: '3000' });

    // 3,000 refunded: 7,000 is left on the transaction, whatever each case was opened for.
    const overRequest = await send(refundRequest.id, 'APPROVE_FULL_REFUND', refundRequest.version, { reason: 'all' }).expect(422);
    expect(overRequest.body).toMatchObject({ code: 'REFUND_EXCEEDS_TRANSACTION', availableMinor: 7_000, refundedMinor: 3_000 });
    await send(refundRequest.id, 'APPROVE_PARTIAL_REFUND', refundRequest.version, { amountMinor: 6_000, reason: 'most' }).expect(200);
    const afterApproval = await ledger(tx);
    // Committed, or already refunded if the wallet was quick.
    expect(Number(afterApproval!.committed_minor) + Number(afterApproval!.refunded_minor)).toBe(9_000);

    const reversal = await send(paymentFailure.id, 'REVERSE_PAYMENT', paymentFailure.version, { reason: 'debited', amountMinor: 2_000 }).expect(422);
    expect(reversal.body).toMatchObject({ code: 'REFUND_EXCEEDS_TRANSACTION', availableMinor: 1_000 });
    // A refusal writes nothing: the case is where it was, at the same version.
    expect(await getCase(paymentFailure.id)).toMatchObject({ state: paymentFailure.state, version: paymentFailure.version });

    // The appeal's decision is a new commitment on the same ledger (decided by someone other than the first decider).
    const appealed = await drive(dispute.id, [['APPEAL', { reason: 'not enough' }]]);
    const { auth: appealReviewer } = await t.login(`appeals-${tx}@test.local`, 'admin');
    const fullAppeal = await send(dispute.id, 'DECIDE_FULL_REFUND', appealed.version, { reason: 'upheld' }, appealReviewer).expect(422);
    expect(fullAppeal.body).toMatchObject({ code: 'REFUND_EXCEEDS_TRANSACTION', availableMinor: 1_000 });
    await send(dispute.id, 'DECIDE_PARTIAL_REFUND', appealed.version, { amountMinor: 1_000, reason: 'what is left' }, appealReviewer).expect(200);

    await waitFor('every refund of the transaction to settle', async () => {
      const current = await ledger(tx);
      return current!.refunded_minor === '10000' ? current : undefined;
    });
    expect(await ledger(tx)).toMatchObject({ committed_minor: '0', refunded_minor: '10000', captured_minor: '10000' });
    const paid = (await t.wallet.refunds()).filter((refund) => refund.transaction_ref === tx && refund.status === 'succeeded');
    expect(paid.reduce((sum, refund) => sum + Number(refund.amount_minor), 0)).toBe(10_000);
  });
});

describe('a deadline’s decision the ledger refuses goes to a supervisor instead', () => {
  let t: TestApp;
  const { getCase, send, drive, open, ledger, seed } = helpers(() => t);
  beforeAll(async () => {
    t = await startTestApp({ DISPUTE_MERCHANT_RESPONSE_SECONDS: '2' });
  });
  afterAll(() => t.close());

  it('the merchant window expires on a transaction another case has taken: no refund, the case is escalated with a timeline note, and a person decides', async () => {
    const tx = ref('SLOW');
    await seed(tx, 10_000);
    const refundRequest = await open({
      kind: 'refund_request',
      channel: 'app',
      subject: 'Refund',
      customer: { id: 'u_2' },
      transactionRef: tx,
      amount: { amountMinor: 6_000, currency: 'CNY' },
      reason: 'changed mind',
      purchasedAt: purchasedAt(),
    });
    await drive(refundRequest.id, [['START_REVIEW'], ['APPROVE_FULL_REFUND', { reason: 'ok' }]]);
    const dispute = await open(disputeBody({ transactionRef: tx, amount: { amountMinor: 10_000, currency: 'CNY' } }));
    await drive(dispute.id, [['FORWARD_TO_MERCHANT']]);

    const escalated = await waitFor('the merchant window to be refused', async () => {
      const current = await getCase(dispute.id);
      return current.escalatedAt ? current : undefined;
    });
    expect(escalated).toMatchObject({ state: 'awaitingMerchant', priority: 'high' });
    expect(escalated.deadlines.map((d: { name: string }) => d.name)).not.toContain('merchantResponseWindow');
    expect(escalated.allowedEvents).toEqual(expect.arrayContaining(['MERCHANT_CONTEST', 'WITHDRAW']));
    const [deadline] = await t.sql(`select status from deadlines where case_id = $1 and kind = 'machine' and name = 'merchantResponseWindow'`, [dispute.id]);
    expect(deadline).toEqual({ status: 'refused' });
    const timeline = (await t.http.get(`/v1/cases/${dispute.id}/timeline`).set('Authorization', t.auth).expect(200)).body;
    expect(timeline.at(-1)).toMatchObject({ type: 'refund.deadline_decision_refused', actor: { kind: 'system', id: 'clock' } });
    expect(await t.sql(`select count(*)::int as n from outbox where case_id = $1 and type = 'requestRefund'`, [dispute.id])).toEqual([{ n: 0 }]);
    expect(await ledger(tx)).toMatchObject({ committed_minor: '6000' });
    const supervisor = await t.login(`sup-${randomBytes(3).toString('hex')}@test.local`, 'supervisor');
    const inbox = (await t.http.get('/v1/notifications').set('Authorization', supervisor.auth).expect(200)).body;
    expect(JSON.stringify(inbox)).toContain('refund.deadline_decision_refused');

    // Not stranded: a supervisor takes it on and decides what the transaction still allows.
    const contested = await drive(dispute.id, [['MERCHANT_CONTEST', { summary: 'Decided by support after the window' }]]);
    await send(dispute.id, 'DECIDE_PARTIAL_REFUND', contested.version, { amountMinor: 4_000, reason: 'what is left' }).expect(200);
    expect(await ledger(tx)).toMatchObject({ committed_minor: '10000' });
  });
});

describe('daily refund reconciliation against the wallet', () => {
  let t: TestApp;
  let supervisor: { auth: string };
  const { getCase, send, drive, open } = helpers(() => t);
  beforeAll(async () => {
    t = await startTestApp({ REFUND_RECONCILIATION_GRACE_SECONDS: '0' });
    supervisor = await t.login('reconciler@test.local', 'supervisor');
  });
  afterAll(() => t.close());

  /** Opens a dispute on `tx` and decides a refund of 1,000; returns the case id and our key for the refund at the wallet. */
  const refundOn = async (tx: string) => {
    const dispute = await open(disputeBody({ transactionRef: tx, amount: { amountMinor: 5_000, currency: 'CNY' } }));
    const reviewing = await drive(dispute.id, [['FORWARD_TO_MERCHANT'], ['MERCHANT_CONTEST', { summary: 'no' }]]);
    await send(dispute.id, 'DECIDE_PARTIAL_REFUND', reviewing.version, { amountMinor: 1_000, reason: 'part' }).expect(200);
    const [row] = await waitFor('our refund row with its key', async () => {
      const rows = await t.sql<{ idempotency_key: string }>(`select idempotency_key from refunds where case_id = $1 and idempotency_key is not null`, [dispute.id]);
      return rows.length ? rows : undefined;
    });
    return { caseId: dispute.id, key: row!.idempotency_key };
  };
  const walletRefund = (key: string, status: string) =>
    waitFor(`the wallet's refund ${key} to be ${status}`, async () => (await t.wallet.refunds()).find((refund) => refund.idempotency_key === key && refund.status === status));
  const run = () => t.http.post('/v1/reconciliation/refunds/run').set('Authorization', supervisor.auth).send({}).expect(200);
  const mismatches = async () => (await t.http.get('/v1/reconciliation/refund-mismatches').set('Authorization', supervisor.auth).expect(200)).body.data;

  it('finds paid-but-not-recorded, recorded-but-not-paid and amount mismatches, lists them for supervisors, counts them in /metrics, and moves no money', async () => {
    // Paid but not recorded: the wallet settles and its callback is lost.
    const lost = await refundOn(ref('LOSTCB'));
    await walletRefund(lost.key, 'succeeded');

    // Recorded but not paid: we were told it succeeded (a signed callback), then the wallet failed it.
    const slowTx = ref('SLOW');
    const slow = await refundOn(slowTx);
    const pending = await walletRefund(slow.key, 'processing');
    const event = JSON.stringify({
      id: `wev_${randomBytes(8).toString('hex')}`,
      type: 'refund.succeeded',
      created_at: new Date().toISOString(),
      data: { refund_id: pending.refund_id, idempotency_key: slow.key, transaction_ref: slowTx, amount_minor: 1_000, currency: 'CNY', settled_at: new Date().toISOString() },
    });
    const headers = signWalletRequest(t.wallet.callbackSecret, { method: 'POST', pathWithQuery: '/v1/wallet/events', body: event }, new Date());
    await t.http.post('/v1/wallet/events').set(headers).set('content-type', 'application/json').send(event).expect(200);
    await waitFor('our refund to be recorded as succeeded', async () => (await getCase(slow.caseId)).state === 'resolved');
    await t.wallet.failRefund(slow.key, 'bank_rejected');

    // Amount mismatch: both sides paid, our record says another amount.
    const plain = await refundOn(ref());
    await walletRefund(plain.key, 'succeeded');
    await waitFor('our refund to succeed', async () => (await getCase(plain.caseId)).state === 'resolved');
    await t.sql(`update refunds set amount_minor = 999 where idempotency_key = $1`, [plain.key]);

    const moneyBefore = await t.sql(`select id, status, amount_minor from refunds order by id`);
    const ledgersBefore = await t.sql(`select * from refund_ledgers order by transaction_ref`);
    const report = (await run()).body;
    expect(report.mismatches).toEqual({ paid_not_recorded: 1, recorded_not_paid: 1, amount_mismatch: 1 });

    const found = await mismatches();
    expect(found.map((m: { kind: string; idempotencyKey: string }) => [m.kind, m.idempotencyKey]).sort()).toEqual(
      [
        ['amount_mismatch', plain.key],
        ['paid_not_recorded', lost.key],
        ['recorded_not_paid', slow.key],
      ].sort(),
    );
    expect(found.find((m: { kind: string }) => m.kind === 'paid_not_recorded')).toMatchObject({
      caseId: lost.caseId,
      wallet: { status: 'succeeded', amountMinor: 1_000 },
      ours: { status: 'processing' },
    });
    expect(found.find((m: { kind: string }) => m.kind === 'recorded_not_paid')).toMatchObject({ wallet: { status: 'failed' }, ours: { status: 'succeeded' } });
    expect(found.find((m: { kind: string }) => m.kind === 'amount_mismatch')).toMatchObject({ wallet: { amountMinor: 1_000 }, ours: { amountMinor: 999 } });

    const metrics = (await t.http.get('/metrics').expect(200)).text;
    for (const kind of ['paid_not_recorded', 'recorded_not_paid', 'amount_mismatch']) expect(metrics).toContain(`refund_reconciliation_mismatches{kind="${kind}"} 1`);

    // It only reports: no refund row, ledger or case changed.
    expect(await t.sql(`select id, status, amount_minor from refunds order by id`)).toEqual(moneyBefore);
    expect(await t.sql(`select * from refund_ledgers order by transaction_ref`)).toEqual(ledgersBefore);

    // A second pass sees the same: one open finding each, not two. Once put right, the finding is resolved.
    expect((await run()).body.mismatches).toEqual({ paid_not_recorded: 1, recorded_not_paid: 1, amount_mismatch: 1 });
    expect(await mismatches()).toHaveLength(3);
    await t.sql(`update refunds set amount_minor = 1000 where idempotency_key = $1`, [plain.key]);
    expect((await run()).body).toMatchObject({ mismatches: { amount_mismatch: 0 }, resolved: 1 });
    expect((await mismatches()).map((m: { kind: string }) => m.kind).sort()).toEqual(['paid_not_recorded', 'recorded_not_paid']);
    expect((await t.http.get('/metrics').expect(200)).text).toContain('refund_reconciliation_mismatches{kind="amount_mismatch"} 0');
  });

  it('is for supervisors only', async () => {
    const agent = await t.login('plain-agent@test.local', 'agent');
    await t.http.get('/v1/reconciliation/refund-mismatches').set('Authorization', agent.auth).expect(403);
    await t.http.post('/v1/reconciliation/refunds/run').set('Authorization', agent.auth).send({}).expect(403);
  });

  it('with the wallet unavailable, a case that names a transaction is not opened: 503 WALLET_UNAVAILABLE, nothing written', async () => {
    await t.wallet.stop();
    const tx = ref();
    const refused = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ transactionRef: tx }))
      .expect(503);
    expect(refused.body.code).toBe('WALLET_UNAVAILABLE');
    expect(await t.sql(`select count(*)::int as n from cases where transaction_ref = $1`, [tx])).toEqual([{ n: 0 }]);
    expect(await t.sql(`select count(*)::int as n from refund_ledgers where transaction_ref = $1`, [tx])).toEqual([{ n: 0 }]);
    const run = await t.http.post('/v1/reconciliation/refunds/run').set('Authorization', supervisor.auth).send({}).expect(503);
    expect(run.body.code).toBe('WALLET_UNAVAILABLE');
  });
});
