import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES } from '@app/queues';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

describe('bad input gets a clear 4xx with a stable code and changes nothing', () => {
  let t: TestApp;
  let caseId: string;

  beforeAll(async () => {
    t = await startTestApp();
    caseId = (await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201)).body.id;
    // The opening's own work (its effects, the deliveries they start) must be over before the first
    // footprint is taken, or a job finishing during a test changes the keys it counts.
    const queues = Object.values(QUEUES).map((name) => t.app.get<Queue>(getQueueToken(name)));
    await waitFor("the opening's effects to finish", async () => {
      const [{ n }] = await t.sql<{ n: string }>(`select count(*) as n from outbox where status = 'pending'`);
      const busy = await Promise.all(queues.map(async (queue) => Object.values(await queue.getJobCounts('active', 'waiting', 'prioritized')).some((count) => count > 0)));
      return n === '0' && !busy.includes(true);
    });
  });
  afterAll(() => t.close());

  /** Everything a request could leave behind: rows in every table and jobs in Redis. */
  const footprint = async () => {
    const [counts] = await t.sql(
      `select (select count(*) from cases) as cases, (select count(*) from case_events) as events,
              (select count(*) from deadlines) as deadlines, (select count(*) from outbox) as outbox,
              (select count(*) from refunds) as refunds, (select max(version) from cases) as max_version`,
    );
    const jobs = (await t.redis.keys(`${t.config.queues.prefix}:*`)).length;
    return { ...counts, jobs };
  };

  const openCase = (body: unknown) =>
    t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(body as object);
  const sendEvent = (body: unknown) =>
    t.http
      .post(`/v1/cases/${caseId}/events`)
      .set('Authorization', t.auth)
      .send(body as object);

  const cases: Array<[string, () => Promise<{ status: number; body: Record<string, unknown> }>, number, string, string?]> = [
    ['malformed JSON', () => t.http.post('/v1/cases').set('Authorization', t.auth).set('Content-Type', 'application/json').send('{"kind": "dispute",'), 400, 'MALFORMED_JSON'],
    ['a JSON array instead of an object', () => openCase([disputeBody()]), 400, 'VALIDATION_FAILED'],
    ['an unknown top-level field', () => openCase({ ...disputeBody(), refundNow: true }), 400, 'VALIDATION_FAILED', 'refundNow'],
    ['an unknown nested field', () => openCase({ ...disputeBody(), amount: { amountMinor: 100, currency: 'CNY', fx: 1 } }), 400, 'VALIDATION_FAILED', 'amount.fx'],
    ['an amount as a string', () => openCase({ ...disputeBody(), amount: { amountMinor: '100', currency: 'CNY' } }), 400, 'VALIDATION_FAILED', 'amount.amountMinor'],
    ['a negative amount', () => openCase({ ...disputeBody(), amount: { amountMinor: -1, currency: 'CNY' } }), 400, 'VALIDATION_FAILED', 'amount.amountMinor'],
    ['a non-integer amount', () => openCase({ ...disputeBody(), amount: { amountMinor: 10.5, currency: 'CNY' } }), 400, 'VALIDATION_FAILED', 'amount.amountMinor'],
    ['an amount beyond safe integers', () => openCase({ ...disputeBody(), amount: { amountMinor: 2 ** 60, currency: 'CNY' } }), 400, 'VALIDATION_FAILED', 'amount.amountMinor'],
    ['a lower-case currency', () => openCase({ ...disputeBody(), amount: { amountMinor: 100, currency: 'cny' } }), 400, 'VALIDATION_FAILED', 'amount.currency'],
    ['an unknown case kind', () => openCase({ ...disputeBody(), kind: 'chargeback' }), 400, 'VALIDATION_FAILED', 'kind'],
    ['an unknown channel', () => openCase({ ...disputeBody(), channel: 'fax' }), 400, 'VALIDATION_FAILED', 'channel'],
    // With a transaction, an omitted amount is the transaction's (wallet-money.e2e-spec.ts); without one there is none.
    ['a dispute without an amount or a transaction', () => openCase({ ...disputeBody(), amount: undefined, transactionRef: undefined }), 400, 'VALIDATION_FAILED', 'amount'],
    ['a blank transaction reference', () => openCase({ ...disputeBody(), transactionRef: '   ' }), 400, 'VALIDATION_FAILED', 'transactionRef'],
    ['a dispute with a zero amount', () => openCase({ ...disputeBody(), amount: { amountMinor: 0, currency: 'CNY' } }), 400, 'VALIDATION_FAILED', 'amount'],
    ['an unknown event', () => sendEvent({ type: 'REFUND_EVERYTHING', expectedVersion: 1 }), 400, 'UNKNOWN_EVENT'],
    ['an event sent as a number', () => sendEvent({ type: 42, expectedVersion: 1 }), 400, 'VALIDATION_FAILED', 'type'],
    ['an event without expectedVersion', () => sendEvent({ type: 'FORWARD_TO_MERCHANT' }), 400, 'VALIDATION_FAILED', 'expectedVersion'],
    ['an event payload with an unknown field', () => sendEvent({ type: 'WITHDRAW', payload: { reason: 'x', refund: 1 }, expectedVersion: 1 }), 400, 'VALIDATION_FAILED'],
    ['an event payload of the wrong type', () => sendEvent({ type: 'WITHDRAW', payload: 'now', expectedVersion: 1 }), 400, 'VALIDATION_FAILED', 'payload'],
    ['an event only the refund gateway may send', () => sendEvent({ type: 'REFUND_SUCCEEDED', payload: { gatewayRefundId: 'x' }, expectedVersion: 1 }), 403, 'EVENT_NOT_PERMITTED'],
    [
      'a case id that is not a uuid',
      () => t.http.post('/v1/cases/not-a-case/events').set('Authorization', t.auth).send({ type: 'WITHDRAW', expectedVersion: 1 }),
      404,
      'CASE_NOT_FOUND',
    ],
    [
      'an unknown case',
      () => t.http.post('/v1/cases/7d0f4a8e-4c1b-4f43-9a57-0d1c7f1f5b11/events').set('Authorization', t.auth).send({ type: 'WITHDRAW', expectedVersion: 1 }),
      404,
      'CASE_NOT_FOUND',
    ],
    ['a body over the size limit', () => openCase({ ...disputeBody(), description: 'x'.repeat(200_000) }), 413, 'PAYLOAD_TOO_LARGE'],
    ['an invalid list cursor', () => t.http.get('/v1/cases?cursor=nonsense').set('Authorization', t.auth), 400, 'VALIDATION_FAILED', 'cursor'],
    ['a list assignee that is not an agent id', () => t.http.get('/v1/cases?assigneeId=abc').set('Authorization', t.auth), 400, 'VALIDATION_FAILED', 'assigneeId'],
    [
      'a forged list cursor',
      () => t.http.get(`/v1/cases?cursor=${Buffer.from(JSON.stringify(['1', '------------------------------------'])).toString('base64url')}`).set('Authorization', t.auth),
      400,
      'VALIDATION_FAILED',
      'cursor',
    ],
    ['a list limit out of range', () => t.http.get('/v1/cases?limit=5000').set('Authorization', t.auth), 400, 'VALIDATION_FAILED', 'limit'],
  ];

  for (const [name, call, status, code, field] of cases) {
    it(`${name} → ${status} ${code}`, async () => {
      const before = await footprint();
      const response = await call();
      expect(response.status).toBe(status);
      expect(response.body.code).toBe(code);
      expect(typeof response.body.message).toBe('string');
      if (field) {
        expect((response.body.fields as Array<{ path: string }>).map((issue) => issue.path)).toContain(field);
      }
      expect(await footprint()).toEqual(before);
    });
  }

  it('an unknown event names the events a dispute knows', async () => {
    const response = await sendEvent({ type: 'REFUND_EVERYTHING', expectedVersion: 1 });
    expect(response.body.knownEvents).toEqual(expect.arrayContaining(['FORWARD_TO_MERCHANT', 'DECIDE_PARTIAL_REFUND']));
  });
});
