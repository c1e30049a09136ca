import { disputeBody, startTestApp, type TestApp, type TestMerchant } from '../support/test-app';

/** Inputs an independent review found turning into 500s or slipping through; each must be a clear 4xx. */
describe('merchant and intake API: malformed input is a 4xx and changes nothing', () => {
  let t: TestApp;
  let m: TestMerchant;
  let disputeId: string;

  beforeAll(async () => {
    t = await startTestApp();
    m = await t.createMerchant();
    disputeId = (
      await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send(disputeBody({ merchantId: m.id }))
        .expect(201)
    ).body.id;
    await t.http.post(`/v1/cases/${disputeId}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
  });
  afterAll(() => t.close());

  const fileCount = async () => Number((await t.sql<{ n: string }>('select count(*) as n from evidence_files'))[0]!.n);

  it.each([
    ['a timestamp PostgreSQL cannot read', ['1', '7d0f4a8e-4c1b-4f43-9a57-0d1c7f1f5b11']],
    ['an id that only looks like a uuid', ['2026-01-01T00:00:00.000Z', '------------------------------------']],
  ])('a forged dispute-list cursor (%s) → 400', async (_name, value) => {
    const cursor = Buffer.from(JSON.stringify(value)).toString('base64url');
    const response = await t.http.get(`/v1/merchant/disputes?cursor=${cursor}`).set('Authorization', m.auth).expect(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
  });

  it('a multipart upload without a boundary → 400, nothing stored', async () => {
    const before = await fileCount();
    const response = await t.http
      .post(`/v1/merchant/disputes/${disputeId}/evidence/files`)
      .set('Authorization', m.auth)
      .set('Content-Type', 'multipart/form-data; charset=utf-8')
      .send('not really multipart');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(await fileCount()).toBe(before);
  });

  it('a part declared as HTML whose bytes are plain text → 415, nothing stored', async () => {
    const before = await fileCount();
    const response = await t.http
      .post(`/v1/merchant/disputes/${disputeId}/evidence/files`)
      .set('Authorization', m.auth)
      .attach('file', Buffer.from('Delivered to the front desk on 3 May.\n'), { filename: 'note.txt', contentType: 'text/html' });
    expect(response.status).toBe(415);
    expect(await fileCount()).toBe(before);
  });

  it('a webhook signing secret is shown once: an idempotent replay does not return it, and it is not kept with the key', async () => {
    const create = () =>
      t.http
        .post('/v1/merchant/webhook-endpoints')
        .set('Authorization', m.auth)
        .set('Idempotency-Key', 'endpoint-once')
        .send({ url: 'http://127.0.0.1:9/hooks', events: ['dispute.resolved'] });
    const first = await create().expect(200);
    expect(first.body.secret).toMatch(/^whsec_/);
    const replay = await create().expect(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual({ ...first.body, secret: null });
    const stored = await t.sql<{ body: string }>(`select convert_from(response_body, 'UTF8') as body from idempotency_keys where key = 'endpoint-once'`);
    expect(stored[0]!.body).not.toContain('whsec_');
  });

  it("an intake quoting another customer's open transaction gets a bare 409, not their case", async () => {
    const body = (customer: string) => ({
      kind: 'dispute',
      channel: 'app',
      subject: 'Not received',
      customer: { id: customer },
      merchantId: m.id,
      transactionRef: 'TX-SHARED-1',
      amount: { amountMinor: 500, currency: 'CNY' },
      reason: 'not_received',
    });
    await t.http.post('/v1/intake/cases').set('Authorization', t.intakeAuth).send(body('u_owner')).expect(200);
    const other = await t.http.post('/v1/intake/cases').set('Authorization', t.intakeAuth).send(body('u_someone_else')).expect(409);
    expect(other.body.code).toBe('DUPLICATE_CASE');
    expect(other.body.case).toBeUndefined();
    expect(JSON.stringify(other.body)).not.toContain('u_owner');
  });
});
