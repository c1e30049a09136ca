import { randomUUID } from 'node:crypto';
import { mintCustomerToken } from '@app/customers';
import { withoutRequestId } from '../support/error-body';
import { PNG } from '../support/evidence-files';
import { filesUnder } from '../support/files-under';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';

type Call = (id: string) => Promise<{ status: number; body: Record<string, unknown> }>;

describe("customer API: a customer never reaches another customer's case", () => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  let waiting: string;
  let resolved: string;

  beforeAll(async () => {
    // A low per-customer limit to reach; the rest of this file stays well below it.
    t = await startTestApp({ CUSTOMER_RATE_LIMIT_PER_MINUTE: '60' });
    const [secret] = t.config.customerApi.tokenSecrets;
    alice = `Bearer ${mintCustomerToken(secret!, 'u_alice')}`;
    bob = `Bearer ${mintCustomerToken(secret!, 'u_bob')}`;
    const open = async () =>
      (
        await t.http
          .post('/v1/cases')
          .set('Authorization', t.auth)
          .send(disputeBody({ customer: { id: 'u_alice' } }))
          .expect(201)
      ).body.id as string;
    const send = async (id: string, type: string, payload: Record<string, unknown> = {}) => {
      const { body } = await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200);
      await t.http.post(`/v1/cases/${id}/events`).set('Authorization', t.auth).send({ type, payload, expectedVersion: body.version }).expect(200);
    };
    waiting = await open();
    await send(waiting, 'FORWARD_TO_MERCHANT');
    await send(waiting, 'MERCHANT_CONTEST', { summary: 'Delivered' });
    await send(waiting, 'REQUEST_CUSTOMER_INFO', { question: 'Photo of the label, please' });
    resolved = await open();
    await send(resolved, 'FORWARD_TO_MERCHANT');
    await send(resolved, 'MERCHANT_CONTEST', { summary: 'Delivered' });
    await send(resolved, 'DECIDE_REJECT', { reason: 'Signed for' });
    // Alice's own evidence and message, so there is something of hers to leak.
    await t.http.post(`/v1/customer/cases/${waiting}/evidence`).set('Authorization', alice).field('category', 'receipt').attach('file', PNG, 'receipt.png').expect(200);
    await t.http.post(`/v1/customer/cases/${waiting}/messages`).set('Authorization', alice).send({ body: '我的包裹没有到' }).expect(200);
  });
  afterAll(() => t.close());

  const footprint = async () => {
    const [row] = await t.sql(
      `select (select json_agg(json_build_object('id', id, 'version', version, 'state', state) order by id) from cases) as cases,
              (select count(*) from case_events) as events, (select count(*) from evidence_files) as files,
              (select count(*) from case_ratings) as ratings, (select count(*) from case_messages) as messages,
              (select count(*) from idempotency_keys) as keys`,
    );
    return {
      row,
      stored: filesUnder(t.storageDir)
        .filter((path) => !path.startsWith('.incoming'))
        .sort(),
    };
  };

  it('is the same 404 as a missing case on every route, and nothing of the case changes', async () => {
    const routes: Array<[string, string, Call]> = [
      ['read', waiting, (id) => t.http.get(`/v1/customer/cases/${id}`).set('Authorization', bob)],
      [
        'info reply',
        waiting,
        (id) =>
          t.http.post(`/v1/customer/cases/${id}/info-replies`).set('Authorization', bob).set('Idempotency-Key', randomUUID()).field('text', 'forged').attach('file', PNG, 'x.png'),
      ],
      ['read evidence', waiting, (id) => t.http.get(`/v1/customer/cases/${id}/evidence`).set('Authorization', bob)],
      ['evidence', waiting, (id) => t.http.post(`/v1/customer/cases/${id}/evidence`).set('Authorization', bob).set('Idempotency-Key', randomUUID()).attach('file', PNG, 'x.png')],
      ['withdraw', waiting, (id) => t.http.post(`/v1/customer/cases/${id}/withdraw`).set('Authorization', bob).set('Idempotency-Key', randomUUID()).send({})],
      ['read messages', waiting, (id) => t.http.get(`/v1/customer/cases/${id}/messages`).set('Authorization', bob)],
      ['write message', waiting, (id) => t.http.post(`/v1/customer/cases/${id}/messages`).set('Authorization', bob).set('Idempotency-Key', randomUUID()).send({ body: 'forged' })],
      ['appeal', resolved, (id) => t.http.post(`/v1/customer/cases/${id}/appeal`).set('Authorization', bob).set('Idempotency-Key', randomUUID()).send({ reason: 'forged' })],
      ['rating', resolved, (id) => t.http.post(`/v1/customer/cases/${id}/rating`).set('Authorization', bob).set('Idempotency-Key', randomUUID()).send({ score: 1 })],
    ];
    const before = await footprint();
    for (const [name, caseId, call] of routes) {
      const missing = randomUUID();
      const other = await call(caseId);
      const absent = await call(missing);
      const notAnId = await call('not-a-case');
      expect({ name, status: other.status }).toEqual({ name, status: 404 });
      expect(withoutRequestId(other.body)).toEqual({ code: 'CASE_NOT_FOUND', message: `No case ${caseId}.`, caseId });
      const expected = JSON.stringify(withoutRequestId(other.body));
      expect({ name, body: JSON.stringify(withoutRequestId(absent.body)).replaceAll(missing, caseId) }).toEqual({ name, body: expected });
      expect({ name, body: JSON.stringify(withoutRequestId(notAnId.body)).replaceAll('not-a-case', caseId) }).toEqual({ name, body: expected });
    }
    expect((await t.http.get('/v1/customer/cases').set('Authorization', bob).expect(200)).body.data).toEqual([]);
    expect(await footprint()).toEqual(before);

    // Alice still sees and owns all of it.
    expect((await t.http.get(`/v1/customer/cases/${waiting}`).set('Authorization', alice).expect(200)).body.allowed_actions).toContain('reply_to_info_request');
    expect((await t.http.get(`/v1/customer/cases/${resolved}`).set('Authorization', alice).expect(200)).body.allowed_actions).toEqual(['appeal', 'rate']);
    expect((await t.http.get(`/v1/customer/cases/${waiting}/messages`).set('Authorization', alice).expect(200)).body.data).toHaveLength(1);
    expect((await t.http.get(`/v1/customer/cases/${waiting}/evidence`).set('Authorization', alice).expect(200)).body.files).toHaveLength(1);
    expect((await t.http.get('/v1/customer/cases').set('Authorization', alice).expect(200)).body.data).toHaveLength(2);
  });

  it('rate-limits each customer: 429 with Retry-After once the window is used up; other customers keep their budget', async () => {
    const carol = `Bearer ${mintCustomerToken(t.config.customerApi.tokenSecrets[0]!, 'u_carol')}`;
    let limited: { status: number; headers: Record<string, string>; body: { code: string } } | undefined;
    // Two windows' worth at most: a window boundary during the loop resets the count once.
    for (let i = 0; i < 121 && !limited; i += 1) {
      const response = await t.http.get('/v1/customer/cases?limit=1').set('Authorization', carol);
      if (response.status === 429) limited = response;
      else expect(response.status).toBe(200);
    }
    expect(limited).toBeDefined();
    expect(limited!.body.code).toBe('RATE_LIMITED');
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited!.headers['retry-after'])).toBeLessThanOrEqual(60);
    await t.http.get('/v1/customer/cases?limit=1').set('Authorization', alice).expect(200);
  });

  it("idempotency keys are the customer's own: Bob reusing Alice's key does not get her answer", async () => {
    const key = `shared-${randomUUID()}`;
    const mine = await t.http.post(`/v1/customer/cases/${waiting}/messages`).set('Authorization', alice).set('Idempotency-Key', key).send({ body: '还有一个问题' }).expect(200);
    const theirs = await t.http.post(`/v1/customer/cases/${waiting}/messages`).set('Authorization', bob).set('Idempotency-Key', key).send({ body: '还有一个问题' });
    expect(theirs.status).toBe(404);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(JSON.stringify(theirs.body)).not.toContain(mine.body.id);
  });
});
