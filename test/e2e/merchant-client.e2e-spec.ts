import { randomUUID } from 'node:crypto';
import { createMerchantClient, type MerchantClient } from '../../clients/merchant-api/src';
import { startStandardWebhooksReceiver } from '../support/standard-webhooks-receiver';
import { startTestApp, disputeBody, type TestApp, type TestMerchant } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * The generated merchant client (clients/merchant-api) against the running API: the merchant's
 * main flows through nothing but the client, so its paths, parameters and types are the API's.
 */
describe('the generated merchant API client, against the running API', () => {
  let t: TestApp;
  let m: TestMerchant;
  let api: MerchantClient;

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_RETRY_DELAYS_MS: '200,300,400', WEBHOOK_TIMEOUT_MS: '2000' });
    m = await t.createMerchant();
    const baseUrl = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    api = createMerchantClient({ baseUrl, apiKey: m.auth.slice('Bearer '.length) });
  });
  afterAll(() => t.close());

  it('webhook endpoint, dispute, evidence, messages, decision, deliveries: typed answers, typed errors', async () => {
    const receiver = await startStandardWebhooksReceiver([]);
    try {
      // Subscribe, with an idempotency key (a header parameter of the route).
      const created = await api.POST('/v1/merchant/webhook-endpoints', {
        params: { header: { 'Idempotency-Key': randomUUID() } },
        body: { url: receiver.url(), events: ['dispute.awaiting_merchant', 'dispute.resolved'] },
      });
      expect(created.response.status).toBe(200);
      const endpoint = created.data!;
      expect(endpoint.secret).toMatch(/^whsec_/);
      await receiver.setSecrets([endpoint.secret]);

      // Support forwards a dispute; the merchant finds it, reads it and hears of it.
      const opened = await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send(disputeBody({ merchantId: m.id }))
        .expect(201);
      const id = opened.body.id as string;
      await t.http.post(`/v1/cases/${id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
      const page = await api.GET('/v1/merchant/disputes', { params: { query: { status: 'needs_response', limit: 10 } } });
      expect(page.data!.data.map((d) => d.id)).toEqual([id]);
      expect(page.data!.has_more).toBe(false);
      const dispute = (await api.GET('/v1/merchant/disputes/{id}', { params: { path: { id } } })).data!;
      expect(dispute).toMatchObject({ id, object: 'dispute', status: 'needs_response', amount: 10_000, currency: 'CNY', has_evidence: false });
      expect(dispute.allowed_actions).toEqual(expect.arrayContaining(['accept', 'submit_evidence']));
      const webhook = await waitFor('the dispute webhook', async () => (await receiver.received()).find((r) => r.event.type === 'dispute.awaiting_merchant'));
      expect(webhook.verifiedWith).toEqual([endpoint.secret]);
      expect(webhook.event.data.object).toEqual(dispute);

      // Evidence, staged and submitted; a message to support.
      const staged = await api.POST('/v1/merchant/disputes/{id}/evidence', { params: { path: { id } }, body: { shipping_proof: 'SF1400000001, signed' } });
      expect(staged.data!.draft!.fields).toEqual({ shipping_proof: 'SF1400000001, signed' });
      const submitted = await api.POST('/v1/merchant/disputes/{id}/evidence/submit', { params: { path: { id } }, body: { summary: 'Delivered and signed for.' } });
      expect(submitted.data).toMatchObject({ status: 'under_review', has_evidence: true, submission_count: 1 });
      const evidence = (await api.GET('/v1/merchant/disputes/{id}/evidence', { params: { path: { id } } })).data!;
      expect(evidence.submissions.map((s) => [s.number, s.status])).toEqual([[1, 'submitted']]);
      const message = await api.POST('/v1/merchant/disputes/{id}/messages', { params: { path: { id } }, body: { body: 'The courier has the signed slip.' } });
      expect(message.data).toMatchObject({ dispute_id: id, direction: 'inbound', from: 'merchant' });
      expect((await api.GET('/v1/merchant/disputes/{id}/messages', { params: { path: { id } } })).data!.data).toHaveLength(1);

      // Support decides; the decision reads the same through the client.
      const { version } = (await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200)).body;
      await t.http
        .post(`/v1/cases/${id}/events`)
        .set('Authorization', t.auth)
        .send({ type: 'DECIDE_REJECT', payload: { reason: 'Signed proof of delivery' }, expectedVersion: version })
        .expect(200);
      const decision = (await api.GET('/v1/merchant/disputes/{id}/decision', { params: { path: { id } } })).data!;
      expect(decision).toMatchObject({ dispute_id: id, status: 'won', outcome: 'rejected', decided_by: 'agent', amount_refunded: 0 });

      // Errors come back typed as `error`, with the API's code.
      const missing = await api.GET('/v1/merchant/disputes/{id}', { params: { path: { id: randomUUID() } } });
      expect(missing.response.status).toBe(404);
      expect(missing.error!.code).toBe('CASE_NOT_FOUND');
      const refused = await api.POST('/v1/merchant/disputes/{id}/accept', { params: { path: { id }, header: {} } });
      expect(refused.response.status).toBe(409);
      expect(refused.error!.code).toBeDefined();

      // The endpoint: update, rotate, test event, deliveries.
      const path = { id: endpoint.id };
      const updated = await api.POST('/v1/merchant/webhook-endpoints/{id}', { params: { path, header: {} }, body: { events: ['*'], description: 'all events' } });
      expect(updated.data).toMatchObject({ id: endpoint.id, events: ['*'], description: 'all events', status: 'enabled' });
      const rotated = (await api.POST('/v1/merchant/webhook-endpoints/{id}/rotate-secret', { params: { path, header: {} }, body: { expires_in_seconds: 600 } })).data!;
      expect(rotated.secret).not.toBe(endpoint.secret);
      await receiver.setSecrets([rotated.secret]);
      const test = (await api.POST('/v1/merchant/webhook-endpoints/{id}/test', { params: { path, header: {} } })).data!;
      expect(test).toMatchObject({ endpoint_id: endpoint.id, event_type: 'webhook_endpoint.test' });
      const delivered = await waitFor('the test delivery to succeed', async () => {
        const list = (await api.GET('/v1/merchant/webhook-deliveries', { params: { query: { endpoint_id: endpoint.id } } })).data!.data;
        return list.find((d) => d.id === test.id && d.status === 'succeeded');
      });
      expect(delivered.attempts.map((a) => a.status_code)).toEqual([200]);
      const listed = (await api.GET('/v1/merchant/webhook-endpoints')).data!;
      expect(listed.data.map((e) => [e.id, e.previous_secret_expires_at !== null])).toEqual([[endpoint.id, true]]);
      const removed = await api.DELETE('/v1/merchant/webhook-endpoints/{id}', { params: { path } });
      expect(removed.data!.status).toBe('deleted');
    } finally {
      await receiver.close();
    }
  });
});
