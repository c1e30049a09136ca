import { randomBytes } from 'node:crypto';
import { disputeBody, startTestApp, type TestApp, type TestMerchant } from '../support/test-app';
import { waitFor } from '../support/wait-for';

describe('idempotency keys (Stripe rules) and the intake API', () => {
  let t: TestApp;
  let m: TestMerchant;

  beforeAll(async () => {
    t = await startTestApp();
    m = await t.createMerchant();
  });
  afterAll(() => t.close());

  const forwardedDispute = async () => {
    const { body } = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ merchantId: m.id }))
      .expect(201);
    await t.http.post(`/v1/cases/${body.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
    return body.id as string;
  };

  it('20 concurrent accepts with one idempotency key: one decision, one event, one refund; the rest wait (409) or get the stored answer', async () => {
    const id = await forwardedDispute();
    const accept = () => t.http.post(`/v1/merchant/disputes/${id}/accept`).set('Authorization', m.auth).set('Idempotency-Key', 'accept-once');
    const responses = await Promise.all(Array.from({ length: 20 }, accept));

    const ok = responses.filter((r) => r.status === 200);
    const busy = responses.filter((r) => r.status === 409);
    expect(ok.length + busy.length).toBe(20);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const response of busy) expect(response.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
    // Every 200 is the same bytes: the first execution's response, stored.
    expect(new Set(ok.map((r) => r.text)).size).toBe(1);
    expect(ok[0]!.body).toMatchObject({ id, status: 'lost' });

    const events = await t.sql<{ type: string }>(`select type from case_events where case_id = $1 and type = 'MERCHANT_ACCEPT'`, [id]);
    expect(events).toHaveLength(1);
    const resolved = await waitFor('the refund', async () => {
      const [row] = await t.sql<{ state: string; snapshot: { context: { decisions: unknown[] } } }>('select state, snapshot from cases where id = $1', [id]);
      return row!.state === 'resolved' ? row : undefined;
    });
    expect(resolved.snapshot.context.decisions).toEqual([expect.objectContaining({ outcome: 'full_refund', decidedBy: 'merchant', amountMinor: 10_000 })]);
    const refunds = await t.sql('select amount_minor, status from refunds where case_id = $1', [id]);
    expect(refunds).toEqual([{ amount_minor: '10000', status: 'succeeded' }]);

    // Later retries with the key: the stored response byte for byte, not a 409 for a finished case.
    const retry = await accept().expect(200);
    expect(retry.text).toBe(ok[0]!.text);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    // Without a key the engine answers for itself: the dispute is no longer awaiting the merchant.
    const again = await t.http.post(`/v1/merchant/disputes/${id}/accept`).set('Authorization', m.auth).expect(409);
    expect(again.body.code).toBe('EVENT_NOT_ALLOWED');
  });

  it('same key with a different request is refused (422); keys are scoped to the caller; failures are not stored', async () => {
    const id = await forwardedDispute();
    const stage = (auth: string, body: object, key = 'stage-1') =>
      t.http.post(`/v1/merchant/disputes/${id}/evidence`).set('Authorization', auth).set('Idempotency-Key', key).send(body);
    const first = await stage(m.auth, { receipt: 'A', refund_policy: 'P' }).expect(200);
    expect((await stage(m.auth, { receipt: 'A', refund_policy: 'P' }).expect(200)).text).toBe(first.text);
    // Key order does not make it a different request.
    expect((await stage(m.auth, { refund_policy: 'P', receipt: 'A' }).expect(200)).text).toBe(first.text);
    const reused = await stage(m.auth, { receipt: 'B', refund_policy: 'P' }).expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const elsewhere = await t.http.post(`/v1/merchant/disputes/${id}/accept`).set('Authorization', m.auth).set('Idempotency-Key', 'stage-1').expect(422);
    expect(elsewhere.body.code).toBe('IDEMPOTENCY_KEY_REUSED');

    // Another merchant's identical key is their own key: it does not see this response.
    const other = await t.createMerchant();
    const theirs = await t.http
      .post(`/v1/merchant/disputes/${id}/evidence`)
      .set('Authorization', other.auth)
      .set('Idempotency-Key', 'stage-1')
      .send({ receipt: 'A', refund_policy: 'P' });
    expect(theirs.status).toBe(404);

    // A refused request leaves no key behind: the retry runs again.
    const invalid = await stage(m.auth, { receipt: '' }, 'bad-1').expect(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
    const keys = await t.sql<{ key: string; scope: string; expires_at: Date; created_at: Date; status: string }>(
      'select key, scope, status, expires_at, created_at from idempotency_keys order by created_at',
    );
    expect(keys.map((k) => k.key)).not.toContain('bad-1');
    const kept = keys.find((k) => k.key === 'stage-1')!;
    expect(kept).toMatchObject({ scope: `merchant:${m.id}`, status: 'completed' });
    expect(kept.expires_at.getTime() - kept.created_at.getTime()).toBeGreaterThanOrEqual(24 * 3600_000);
    await stage(m.auth, { receipt: 'fixed' }, 'bad-1').expect(200);
  });

  describe('intake', () => {
    const intakeBody = (overrides: Record<string, unknown> = {}) => ({
      kind: 'dispute',
      subject: 'Charged for an order I cancelled',
      customer: { id: 'u_777', name: '陈静' },
      merchantId: m.id,
      transactionRef: `TX-${randomBytes(4).toString('hex').toUpperCase()}`, // as stored: references are normalised (trimmed, upper case)
      amount: { amountMinor: 8_800, currency: 'CNY' },
      reason: 'not_as_described',
      ...overrides,
    });

    it('opens a case for an app user, and the same transaction and kind returns the open case', async () => {
      const body = intakeBody();
      const first = await t.http.post('/v1/intake/cases').set('Authorization', t.intakeAuth).send(body).expect(200);
      expect(first.body).toMatchObject({ created: true, case: { kind: 'dispute', channel: 'app', state: 'open', transactionRef: body.transactionRef } });
      const second = await t.http
        .post('/v1/intake/cases')
        .set('Authorization', t.intakeAuth)
        .send({ ...body, subject: 'again' })
        .expect(200);
      expect(second.body).toMatchObject({ created: false, case: { id: first.body.case.id } });
      const timeline = await t.sql<{ actor_kind: string; actor_id: string }>('select actor_kind, actor_id from case_events where case_id = $1', [first.body.case.id]);
      expect(timeline).toEqual([{ actor_kind: 'system', actor_id: 'intake:wallet' }]);
      // Another kind for the same transaction is another case.
      const refund = await t.http
        .post('/v1/intake/cases')
        .set('Authorization', t.intakeAuth)
        .send({ ...body, kind: 'refund_request', reason: 'changed mind', purchasedAt: new Date().toISOString() })
        .expect(200);
      expect(refund.body.created).toBe(true);
    });

    it('10 concurrent intakes of one transaction open one case', async () => {
      const body = intakeBody();
      const responses = await Promise.all(Array.from({ length: 10 }, () => t.http.post('/v1/intake/cases').set('Authorization', t.intakeAuth).send(body)));
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(new Set(responses.map((r) => r.body.case.id)).size).toBe(1);
      expect(responses.filter((r) => r.body.created)).toHaveLength(1);
      const [{ n }] = await t.sql<{ n: string }>('select count(*) as n from cases where transaction_ref = $1', [body.transactionRef]);
      expect(Number(n)).toBe(1);
    });

    it("agents' POST /v1/cases for a transaction with an open case of that kind is 409 DUPLICATE_CASE naming it", async () => {
      const body = intakeBody();
      const opened = await t.http.post('/v1/intake/cases').set('Authorization', t.intakeAuth).send(body).expect(200);
      const duplicate = await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send(disputeBody({ transactionRef: body.transactionRef }))
        .expect(409);
      expect(duplicate.body).toMatchObject({ code: 'DUPLICATE_CASE', existingCaseId: opened.body.case.id });
      // Once that case is done, the transaction may be disputed again.
      await t.http.post(`/v1/cases/${opened.body.case.id}/events`).set('Authorization', t.auth).send({ type: 'WITHDRAW', expectedVersion: 1 }).expect(200);
      await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send(disputeBody({ transactionRef: body.transactionRef }))
        .expect(201);
    });

    it('needs the service token; merchant keys and agent sessions are not one', async () => {
      const body = intakeBody();
      for (const auth of [undefined, 'Bearer wrong-token', m.auth, t.auth]) {
        const request = t.http.post('/v1/intake/cases').send(body);
        const response = await (auth ? request.set('Authorization', auth) : request);
        expect(response.status).toBe(401);
      }
      const [{ n }] = await t.sql<{ n: string }>('select count(*) as n from cases where transaction_ref = $1', [body.transactionRef]);
      expect(Number(n)).toBe(0);
      const invalid = await t.http
        .post('/v1/intake/cases')
        .set('Authorization', t.intakeAuth)
        .send({ ...body, transactionRef: undefined })
        .expect(400);
      expect(invalid.body.fields.map((f: { path: string }) => f.path)).toContain('transactionRef');
    });

    it('honours idempotency keys, scoped to the intake client', async () => {
      const body = intakeBody();
      const first = await t.http.post('/v1/intake/cases').set('Authorization', t.intakeAuth).set('Idempotency-Key', 'intake-1').send(body).expect(200);
      const again = await t.http.post('/v1/intake/cases').set('Authorization', t.intakeAuth).set('Idempotency-Key', 'intake-1').send(body).expect(200);
      expect(again.text).toBe(first.text);
      await t.http
        .post('/v1/intake/cases')
        .set('Authorization', t.intakeAuth)
        .set('Idempotency-Key', 'intake-1')
        .send({ ...body, subject: 'other' })
        .expect(422);
    });
  });
});
