import { randomBytes } from 'node:crypto';
import { Clock } from '@app/config';
import { mintCustomerToken } from '@app/customers';
import { DISPUTE_EVIDENCE_REQUIREMENTS, type DisputeReason } from '@app/domain';
import { PDF, PNG } from '../support/evidence-files';
import { disputeBody, startTestApp, type TestApp, type TestMerchant } from '../support/test-app';

const SECRET = 'dispute-reasons-test-secret-0123456789abcdef';
const DAY_MS = 24 * 60 * 60 * 1000;

/** Time stands still unless the test moves it, so "exactly at the end of the window" is exact. */
class FrozenClock extends Clock {
  at = new Date();
  now(): Date {
    return new Date(this.at);
  }
}

/** The merchant text field that hands in each required evidence type (proof of delivery under its older name). */
const FIELD_FOR: Record<string, string> = { proof_of_delivery: 'shipping_proof' };

const MERCHANT_REASONS = (Object.keys(DISPUTE_EVIDENCE_REQUIREMENTS) as DisputeReason[]).filter((reason) => DISPUTE_EVIDENCE_REQUIREMENTS[reason].merchant !== null);

describe('dispute reasons: evidence each side must hand in, disputes with another wallet user, the filing window', () => {
  let t: TestApp;
  let m: TestMerchant;
  let customer: string;
  const clock = new FrozenClock();
  const CUSTOMER = 'u_reasons';

  beforeAll(async () => {
    t = await startTestApp({ CUSTOMER_TOKEN_SECRETS: SECRET, DISPUTE_FILING_WINDOW_DAYS: '30' }, { clock });
    m = await t.createMerchant();
    customer = `Bearer ${mintCustomerToken(SECRET, CUSTOMER)}`;
  });
  afterAll(() => t.close());
  beforeEach(() => {
    clock.at = new Date();
  });

  const ref = () => `TX-R-${randomBytes(4).toString('hex')}`;
  const open = async (overrides: Record<string, unknown>) =>
    (
      await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send(disputeBody({ merchantId: m.id, customer: { id: CUSTOMER, name: '李雷' }, ...overrides }))
        .expect(201)
    ).body.id as string;
  const agentSends = async (id: string, type: string, payload: Record<string, unknown> = {}) => {
    const { body } = await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200);
    return t.http.post(`/v1/cases/${id}/events`).set('Authorization', t.auth).send({ type, payload, expectedVersion: body.version });
  };
  const forwarded = async (reason: string) => {
    const id = await open({ reason });
    expect((await agentSends(id, 'FORWARD_TO_MERCHANT')).status).toBe(200);
    return id;
  };
  const merchantView = async (id: string) => (await t.http.get(`/v1/merchant/disputes/${id}`).set('Authorization', m.auth).expect(200)).body;
  const footprint = async (id: string) =>
    (
      await t.sql(
        `select c.state, c.version, (select count(*) from case_events e where e.case_id = c.id) as events,
                (select count(*) from outbox o where o.case_id = c.id) as outbox,
                (select count(*) from evidence_files f where f.case_id = c.id) as files,
                (select string_agg(s.status, ',') from evidence_submissions s where s.case_id = c.id) as submissions
         from cases c where c.id = $1`,
        [id],
      )
    )[0];

  describe('the merchant side', () => {
    it.each(MERCHANT_REASONS)('%s: the dispute shows its requirements; contesting without the required items is a 422 listing them, and changes nothing', async (reason) => {
      const { required, optional } = DISPUTE_EVIDENCE_REQUIREMENTS[reason].merchant!;
      const id = await forwarded(reason);
      const before = await merchantView(id);
      expect(before).toMatchObject({ reason, evidence_requirements: { required, optional, provided: [], missing: required } });

      // Only what counts as nothing (and the optional items, where they are text fields) staged.
      await t.http.post(`/v1/merchant/disputes/${id}/evidence`).set('Authorization', m.auth).send({ uncategorized_text: 'Our side of the story' }).expect(200);
      const staged = await footprint(id);
      const refused = await t.http.post(`/v1/merchant/disputes/${id}/evidence/submit`).set('Authorization', m.auth).send({ summary: 'We contest' }).expect(422);
      expect(refused.body).toMatchObject({ code: 'EVIDENCE_REQUIREMENTS_UNMET', reason, side: 'merchant', missing: required });
      expect(await footprint(id)).toEqual(staged);
      expect((await merchantView(id)).status).toBe('needs_response');

      const fields = Object.fromEntries(required.map((type) => [FIELD_FOR[type] ?? type, `Our ${type}`]));
      await t.http.post(`/v1/merchant/disputes/${id}/evidence`).set('Authorization', m.auth).send(fields).expect(200);
      expect((await merchantView(id)).evidence_requirements).toMatchObject({ provided: expect.arrayContaining(required), missing: [] });
      const contested = await t.http.post(`/v1/merchant/disputes/${id}/evidence/submit`).set('Authorization', m.auth).send({ summary: 'We contest' }).expect(200);
      expect(contested.body).toMatchObject({ status: 'under_review', submission_count: 1, evidence_requirements: { missing: [] } });
    });

    it('a file in the required category counts (shipping documentation is proof of delivery), an uncategorised one does not', async () => {
      const id = await forwarded('not_received');
      await t.http.post(`/v1/merchant/disputes/${id}/evidence/files`).set('Authorization', m.auth).attach('file', PDF, 'misc.pdf').expect(200);
      expect((await t.http.post(`/v1/merchant/disputes/${id}/evidence/submit`).set('Authorization', m.auth).send({}).expect(422)).body.missing).toEqual(['proof_of_delivery']);
      await t.http
        .post(`/v1/merchant/disputes/${id}/evidence/files`)
        .set('Authorization', m.auth)
        .field('category', 'shipping_documentation')
        .attach('file', PDF, 'pod.pdf')
        .expect(200);
      expect((await merchantView(id)).evidence_requirements).toEqual({
        required: ['proof_of_delivery'],
        optional: ['tracking_number', 'receipt', 'customer_communication'],
        provided: ['proof_of_delivery'],
        missing: [],
      });
      await t.http.post(`/v1/merchant/disputes/${id}/evidence/submit`).set('Authorization', m.auth).send({}).expect(200);
    });

    it('an answer to an agent’s question is what the agent asked for: the reason’s requirements apply to contesting only', async () => {
      const id = await forwarded('cancelled');
      await t.http.post(`/v1/merchant/disputes/${id}/evidence`).set('Authorization', m.auth).send({ cancellation_policy: 'No refunds after the class starts' }).expect(200);
      await t.http.post(`/v1/merchant/disputes/${id}/evidence/submit`).set('Authorization', m.auth).send({}).expect(200);
      expect((await agentSends(id, 'REQUEST_MERCHANT_INFO', { question: 'When did the customer cancel?' })).status).toBe(200);
      await t.http.post(`/v1/merchant/disputes/${id}/evidence`).set('Authorization', m.auth).send({ customer_communication: 'Cancelled on 2 May by phone' }).expect(200);
      await t.http.post(`/v1/merchant/disputes/${id}/evidence/submit`).set('Authorization', m.auth).send({}).expect(200);
    });

    it('reads the old reason value `duplicate` as duplicate_charge, for a new case and for one stored with it', async () => {
      const id = await open({ reason: 'duplicate' });
      expect((await t.sql<{ reason: string }>(`select snapshot->'context'->>'reason' as reason from cases where id = $1`, [id]))[0]!.reason).toBe('duplicate_charge');

      // A case opened by an earlier release keeps `duplicate` in its snapshot; every view says duplicate_charge.
      const old = await forwarded('duplicate_charge');
      await t.sql(`update cases set snapshot = jsonb_set(snapshot::jsonb, '{context,reason}', '"duplicate"') where id = $1`, [old]);
      expect(await merchantView(old)).toMatchObject({ reason: 'duplicate_charge', evidence_requirements: { missing: ['duplicate_charge_documentation'] } });
      const agentView = (await t.http.get(`/v1/cases/${old}`).set('Authorization', t.auth).expect(200)).body;
      expect(agentView.evidenceRequirements).toMatchObject({ reason: 'duplicate_charge', counterparty: 'merchant' });
      expect((await t.http.post(`/v1/merchant/disputes/${old}/evidence/submit`).set('Authorization', m.auth).send({}).expect(400)).body.code).toBe('VALIDATION_FAILED');
      await t.http.post(`/v1/merchant/disputes/${old}/evidence`).set('Authorization', m.auth).send({ receipt: 'Order #1' }).expect(200);
      expect((await t.http.post(`/v1/merchant/disputes/${old}/evidence/submit`).set('Authorization', m.auth).send({}).expect(422)).body.missing).toEqual([
        'duplicate_charge_documentation',
      ]);
    });

    it('a reason no release knew is a 400 naming the reasons (and the old one) and opens nothing', async () => {
      const [{ n: before }] = await t.sql<{ n: string }>('select count(*) as n from cases');
      const refused = await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send(disputeBody({ merchantId: m.id, reason: 'changed_mind' }))
        .expect(400);
      expect(refused.body.code).toBe('VALIDATION_FAILED');
      expect(refused.body.fields).toEqual([{ path: 'reason', message: expect.stringContaining('credit_not_processed') }]);
      expect(refused.body.fields[0].message).toContain('duplicate is read as duplicate_charge');
      const [{ n: after }] = await t.sql<{ n: string }>('select count(*) as n from cases');
      expect(after).toBe(before);
    });
  });

  describe('the customer side (customer API)', () => {
    const view = async (id: string) => (await t.http.get(`/v1/customer/cases/${id}`).set('Authorization', customer).expect(200)).body;
    const waitingForCustomer = async (reason: string) => {
      const id = await open({ reason });
      await agentSends(id, 'FORWARD_TO_MERCHANT');
      await agentSends(id, 'MERCHANT_CONTEST', { summary: 'Told us on the phone' });
      await agentSends(id, 'REQUEST_CUSTOMER_INFO', { question: '请补充证据' });
      return id;
    };

    it('shows each reason’s customer requirements; the wallet’s own transaction record counts for the case that names it', async () => {
      for (const reason of Object.keys(DISPUTE_EVIDENCE_REQUIREMENTS) as DisputeReason[]) {
        const { required, optional } = DISPUTE_EVIDENCE_REQUIREMENTS[reason].customer;
        const id = await open(reason === 'peer_transfer' ? { reason, merchantId: undefined } : { reason });
        const missing = required.filter((type) => type !== 'transaction_record');
        expect({ reason, requirements: (await view(id)).evidence_requirements }).toEqual({
          reason,
          requirements: { required, optional, provided: ['transaction_record'], missing },
        });
      }
    });

    it('an answer that leaves required evidence missing is a 422 listing it, and nothing is recorded or stored', async () => {
      const id = await waitingForCustomer('not_as_described');
      const before = await footprint(id);
      const refused = await t.http.post(`/v1/customer/cases/${id}/info-replies`).set('Authorization', customer).send({ text: '东西和描述不一样' }).expect(422);
      expect(refused.body).toMatchObject({ code: 'EVIDENCE_REQUIREMENTS_UNMET', side: 'customer', missing: ['product_photos'] });
      // A file, but not the evidence required: refused too, and the file is not kept.
      const wrongFile = await t.http
        .post(`/v1/customer/cases/${id}/info-replies`)
        .set('Authorization', customer)
        .field('text', '聊天记录')
        .field('category', 'chat_log')
        .attach('file', Buffer.from('商家说会退款'), 'chat.txt')
        .expect(422);
      expect(wrongFile.body.missing).toEqual(['product_photos']);
      expect(await footprint(id)).toEqual(before);
      expect((await view(id)).status.code).toBe('waiting_for_you');

      // The answer that brings the photos goes through.
      const answered = await t.http
        .post(`/v1/customer/cases/${id}/info-replies`)
        .set('Authorization', customer)
        .field('text', '照片在这里')
        .field('category', 'product_photos')
        .attach('file', PNG, 'photo.png')
        .expect(200);
      expect(answered.body.status.code).toBe('in_review');
      expect(answered.body.evidence_requirements).toMatchObject({ provided: ['transaction_record', 'product_photos'], missing: [] });
    });

    it('evidence handed in earlier counts: after uploading the cancellation confirmation, a text answer goes through', async () => {
      const id = await waitingForCustomer('cancelled');
      expect((await view(id)).evidence_requirements.missing).toEqual(['cancellation_confirmation']);
      await t.http
        .post(`/v1/customer/cases/${id}/evidence`)
        .set('Authorization', customer)
        .field('category', 'cancellation_confirmation')
        .attach('file', PDF, 'cancelled.pdf')
        .expect(200);
      expect((await view(id)).evidence_requirements).toMatchObject({ provided: ['transaction_record', 'cancellation_confirmation'], missing: [] });
      await t.http.post(`/v1/customer/cases/${id}/info-replies`).set('Authorization', customer).send({ text: '我已于 5 月 2 日取消' }).expect(200);
    });

    it('credit not processed needs the refund confirmation from the customer; a reason with nothing missing takes a text answer', async () => {
      const credit = await waitingForCustomer('credit_not_processed');
      expect((await t.http.post(`/v1/customer/cases/${credit}/info-replies`).set('Authorization', customer).send({ text: '商家答应退款' }).expect(422)).body.missing).toEqual([
        'refund_confirmation',
      ]);
      const received = await waitingForCustomer('not_received');
      await t.http.post(`/v1/customer/cases/${received}/info-replies`).set('Authorization', customer).send({ text: '没收到' }).expect(200);
    });
  });

  describe('a dispute with another wallet user', () => {
    it('has no merchant: investigated by an agent without a merchant window, never forwarded, invisible to merchants', async () => {
      const transactionRef = ref();
      await t.wallet.createTransaction({ ref: transactionRef, amount_minor: 50_000, currency: 'CNY', merchant_id: null });
      const id = await open({ reason: 'peer_transfer', merchantId: undefined, transactionRef, amount: { amountMinor: 50_000, currency: 'CNY' }, subject: '转错人了' });
      const opened = (await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200)).body;
      expect(opened).toMatchObject({ merchantId: null, machineVersion: 6, merchantReachability: null });
      expect(opened.evidenceRequirements).toEqual({
        reason: 'peer_transfer',
        counterparty: 'wallet_user',
        merchant: null,
        customer: { required: ['transaction_record'], optional: ['chat_log', 'police_report'], provided: ['transaction_record'], missing: [] },
      });
      expect(opened.allowedEvents).toContain('INVESTIGATE');
      expect(opened.allowedEvents).not.toContain('FORWARD_TO_MERCHANT');

      const before = await footprint(id);
      expect((await agentSends(id, 'FORWARD_TO_MERCHANT')).body.code).toBe('EVENT_NOT_ALLOWED');
      expect(await footprint(id)).toEqual(before);

      const investigated = await agentSends(id, 'INVESTIGATE');
      expect(investigated.status).toBe(200);
      const now = (await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200)).body;
      expect(now.state).toBe('investigation.reviewing');
      expect(now.allowedEvents).not.toContain('REQUEST_MERCHANT_INFO');
      expect(now.deadlines.map((deadline: { name: string }) => deadline.name)).not.toContain('merchantResponseWindow');
      const merchantBound = await t.sql(`select 1 from outbox where case_id = $1 and payload::jsonb->'audience' ? 'merchant'`, [id]);
      expect(merchantBound).toEqual([]);
      expect((await t.http.get(`/v1/merchant/disputes/${id}`).set('Authorization', m.auth).expect(404)).body.code).toBe('CASE_NOT_FOUND');
    });

    it('is refused for a payment to a merchant (400 on the reason), and nothing is opened', async () => {
      const transactionRef = ref();
      await t.wallet.createTransaction({ ref: transactionRef, amount_minor: 8_000, currency: 'CNY', merchant_id: m.id });
      const refused = await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send(disputeBody({ reason: 'peer_transfer', merchantId: undefined, transactionRef, amount: { amountMinor: 8_000, currency: 'CNY' } }))
        .expect(400);
      expect(refused.body.fields).toEqual([{ path: 'reason', message: expect.stringContaining('not for a payment to a merchant') }]);
      expect(await t.sql('select 1 from cases where transaction_ref = $1', [transactionRef])).toEqual([]);
    });
  });

  describe('the filing window (DISPUTE_FILING_WINDOW_DAYS=30 here)', () => {
    const paidAgo = async (ms: number) => {
      const transactionRef = ref();
      await t.wallet.createTransaction({
        ref: transactionRef,
        amount_minor: 10_000,
        currency: 'CNY',
        merchant_id: m.id,
        created_at: new Date(clock.at.getTime() - ms).toISOString(),
      });
      return transactionRef;
    };
    const nothingWrittenFor = async (transactionRef: string) => {
      expect(await t.sql('select 1 from cases where transaction_ref = $1', [transactionRef])).toEqual([]);
      expect(await t.sql('select 1 from refund_ledgers where transaction_ref = $1', [transactionRef])).toEqual([]);
    };

    it('takes a dispute well inside the window and at its very end', async () => {
      await open({ transactionRef: await paidAgo(DAY_MS) });
      await open({ transactionRef: await paidAgo(30 * DAY_MS) });
    });

    it('refuses one a millisecond past the window with 422 OUTSIDE_FILING_WINDOW, through the agent and the intake API alike, writing nothing', async () => {
      const [{ n: casesBefore }] = await t.sql<{ n: string }>('select count(*) as n from cases');
      const [{ n: outboxBefore }] = await t.sql<{ n: string }>('select count(*) as n from outbox');
      const late = await paidAgo(30 * DAY_MS + 1);
      const refused = await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send(disputeBody({ merchantId: m.id, transactionRef: late }))
        .expect(422);
      expect(refused.body).toMatchObject({ code: 'OUTSIDE_FILING_WINDOW', filingWindowDays: 30, windowClosedAt: new Date(clock.at.getTime() - 1).toISOString() });

      const viaIntake = await t.http
        .post('/v1/intake/cases')
        .set('Authorization', t.intakeAuth)
        .send({ ...disputeBody({ merchantId: m.id, transactionRef: late }), channel: 'app' })
        .expect(422);
      expect(viaIntake.body.code).toBe('OUTSIDE_FILING_WINDOW');

      await nothingWrittenFor(late);
      expect((await t.sql<{ n: string }>('select count(*) as n from cases'))[0]!.n).toBe(casesBefore);
      expect((await t.sql<{ n: string }>('select count(*) as n from outbox'))[0]!.n).toBe(outboxBefore);
    });

    it('holds a case without a wallet transaction to the purchase time it gives', async () => {
      const late = new Date(clock.at.getTime() - 31 * DAY_MS).toISOString();
      const refused = await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send(disputeBody({ merchantId: m.id, transactionRef: undefined, purchasedAt: late }))
        .expect(422);
      expect(refused.body.code).toBe('OUTSIDE_FILING_WINDOW');
      await open({ transactionRef: undefined, purchasedAt: new Date(clock.at.getTime() - 29 * DAY_MS).toISOString() });
    });
  });
});
