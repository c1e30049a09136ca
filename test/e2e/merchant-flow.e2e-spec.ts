import { randomBytes } from 'node:crypto';
import { verifyWebhook } from '@app/webhooks';
import { startTestApp, type TestApp } from '../support/test-app';
import { PDF } from '../support/evidence-files';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver } from '../support/webhook-receiver';

describe('the merchant flow through HTTP, end to end', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('intake opens the dispute → agent forwards → webhook → merchant stages and submits evidence → agent decides → decision webhook', async () => {
    const merchant = await t.createMerchant('m_flow');
    const receiver = await startWebhookReceiver();
    try {
      const endpoint = (
        await t.http
          .post('/v1/merchant/webhook-endpoints')
          .set('Authorization', merchant.auth)
          .set('Idempotency-Key', 'endpoint-1')
          .send({ url: receiver.url, events: ['dispute.awaiting_merchant', 'dispute.resolved'] })
          .expect(200)
      ).body;
      const eventsOf = (type: string) => receiver.accepted().filter((r) => r.event.type === type);
      const firstOf = async (type: string) => eventsOf(type)[0];

      // The wallet backend opens the case for the app user.
      const transactionRef = `TX-${randomBytes(4).toString('hex').toUpperCase()}`; // as stored: references are normalised
      const intake = await t.http
        .post('/v1/intake/cases')
        .set('Authorization', t.intakeAuth)
        .send({
          kind: 'dispute',
          subject: '没有收到货',
          customer: { id: 'u_42' },
          merchantId: merchant.id,
          transactionRef,
          amount: { amountMinor: 25_900, currency: 'CNY' },
          reason: 'not_received',
        })
        .expect(200);
      const id = intake.body.case.id as string;
      expect((await t.http.get(`/v1/merchant/disputes/${id}`).set('Authorization', merchant.auth).expect(200)).body.status).toBe('warning_under_review');

      // An agent checks it and asks the merchant to respond.
      await t.http.post(`/v1/cases/${id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
      const opened = await waitFor('the dispute webhook', () => firstOf('dispute.awaiting_merchant'));
      expect(verifyWebhook({ headers: opened.headers, body: opened.body, secret: endpoint.secret, nowSeconds: opened.receivedAtSeconds })).toEqual({ ok: true });
      expect(opened.event.data.object).toMatchObject({
        id,
        status: 'needs_response',
        amount: 25_900,
        currency: 'CNY',
        reason: 'not_received',
        transaction_ref: transactionRef,
        has_evidence: false,
      });
      expect(opened.event.data.object.evidence_due_by).not.toBeNull();

      // The merchant answers with evidence.
      const listed = await t.http.get('/v1/merchant/disputes?status=needs_response').set('Authorization', merchant.auth).expect(200);
      expect(listed.body.data.map((d: { id: string }) => d.id)).toEqual([id]);
      await t.http
        .post(`/v1/merchant/disputes/${id}/evidence`)
        .set('Authorization', merchant.auth)
        .set('Idempotency-Key', 'fields-1')
        .send({ shipping_proof: '顺丰 SF1400000001, signed 2026-11-20 by 王', product_description: 'Phone case, blue' })
        .expect(200);
      await t.http
        .post(`/v1/merchant/disputes/${id}/evidence/files`)
        .set('Authorization', merchant.auth)
        .field('category', 'shipping_documentation')
        .attach('file', PDF, '签收单.pdf')
        .expect(200);
      const submitted = await t.http
        .post(`/v1/merchant/disputes/${id}/evidence/submit`)
        .set('Authorization', merchant.auth)
        .set('Idempotency-Key', 'submit-1')
        .send({ summary: 'Delivered and signed for; proof attached.' })
        .expect(200);
      expect(submitted.body).toMatchObject({ status: 'under_review', has_evidence: true, submission_count: 1 });

      // The agent reviews the evidence and decides for the merchant.
      const evidence = await t.http.get(`/v1/cases/${id}/evidence`).set('Authorization', t.auth).expect(200);
      expect(evidence.body.submissions[0]).toMatchObject({ number: 1, submitted_as: 'MERCHANT_CONTEST', summary: 'Delivered and signed for; proof attached.' });
      const file = evidence.body.submissions[0].files[0];
      expect(file).toMatchObject({
        filename: '签收单.pdf',
        content_type: 'application/pdf',
        category: 'shipping_documentation',
        uploaded_by: { kind: 'merchant', id: merchant.id },
      });
      const downloaded = await t.http.get(`/v1/cases/${id}/evidence/files/${file.id}/content`).set('Authorization', t.auth).expect(200);
      expect(Buffer.from(downloaded.body).equals(PDF)).toBe(true);
      const current = (await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200)).body;
      expect(current.state).toBe('investigation.reviewing');
      await t.http
        .post(`/v1/cases/${id}/events`)
        .set('Authorization', t.auth)
        .send({ type: 'DECIDE_REJECT', payload: { reason: 'Signed proof of delivery' }, expectedVersion: current.version })
        .expect(200);

      // The decision reaches the merchant.
      const decided = await waitFor('the decision webhook', () => firstOf('dispute.resolved'));
      expect(verifyWebhook({ headers: decided.headers, body: decided.body, secret: endpoint.secret, nowSeconds: decided.receivedAtSeconds })).toEqual({ ok: true });
      expect(decided.event.data.object).toMatchObject({ id, status: 'won', has_evidence: true, submission_count: 1 });
      expect(decided.event.data.decision).toMatchObject({ outcome: 'rejected', decided_by: 'agent', amount_refunded: 0 });
      const decision = await t.http.get(`/v1/merchant/disputes/${id}/decision`).set('Authorization', merchant.auth).expect(200);
      expect(decision.body).toMatchObject({ dispute_id: id, status: 'won', outcome: 'rejected', decided_by: 'agent', amount_refunded: 0, currency: 'CNY' });
      expect(receiver.accepted().map((r) => r.event.type)).toEqual(['dispute.awaiting_merchant', 'dispute.resolved']);

      const timeline = (await t.http.get(`/v1/cases/${id}/timeline`).set('Authorization', t.auth).expect(200)).body;
      expect(timeline.map((e: { type: string; actor: { kind: string; id: string } }) => [e.type, e.actor.kind, e.actor.id])).toEqual(
        expect.arrayContaining([
          ['xstate.init', 'system', 'intake:wallet'],
          ['MERCHANT_CONTEST', 'merchant', merchant.id],
        ]),
      );
      const docs = await t.http.get('/docs-json').expect(200);
      expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/v1/merchant/disputes', '/v1/merchant/disputes/{id}/evidence/files', '/v1/intake/cases']));
      expect(Object.keys(docs.body.components.securitySchemes)).toEqual(expect.arrayContaining(['merchant-api-key', 'intake-token']));
    } finally {
      await receiver.close();
    }
  });
});
