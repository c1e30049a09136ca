import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES } from '@app/queues';
import { startStandardWebhooksReceiver } from '../support/standard-webhooks-receiver';
import { disputeBody, startTestApp, type TestApp, type TestMerchant } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * Webhook bodies frozen at the event, signing-secret rotation with a grace period, endpoint
 * update and "send test event". The receiver is a process of its own that checks signatures with
 * the Standard Webhooks reference library (`standardwebhooks`), not with our signer.
 */
describe('merchant webhooks: bodies as at the event, secret rotation, endpoint update, test event', () => {
  let t: TestApp;
  let effects: Queue;

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_RETRY_DELAYS_MS: '200,300,400', WEBHOOK_TIMEOUT_MS: '2000' });
    effects = t.app.get<Queue>(getQueueToken(QUEUES.effects));
  });
  afterAll(() => t.close());

  const subscribe = async (m: TestMerchant, url: string, events: string[] = ['*']) =>
    (await t.http.post('/v1/merchant/webhook-endpoints').set('Authorization', m.auth).send({ url, events }).expect(200)).body as { id: string; secret: string };
  const openDispute = async (m: TestMerchant) =>
    (
      await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send(disputeBody({ merchantId: m.id }))
        .expect(201)
    ).body.id as string;
  const agentEvent = async (id: string, type: string, payload?: Record<string, unknown>) => {
    const { version } = (await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200)).body;
    await t.http.post(`/v1/cases/${id}/events`).set('Authorization', t.auth).send({ type, payload, expectedVersion: version }).expect(200);
  };
  const merchantView = async (m: TestMerchant, id: string) => (await t.http.get(`/v1/merchant/disputes/${id}`).set('Authorization', m.auth).expect(200)).body;

  it('a delivery made after the case moved on carries the dispute as it was at the event, as the merchant API showed it then', async () => {
    const m = await t.createMerchant();
    const receiver = await startStandardWebhooksReceiver([]);
    try {
      const endpoint = await subscribe(m, receiver.url());
      await receiver.setSecrets([endpoint.secret]);
      const id = await openDispute(m);

      // The effect worker lags: the forward's `notify` waits on the queue while the merchant accepts.
      await effects.pause();
      let atForward: Record<string, unknown>;
      try {
        await agentEvent(id, 'FORWARD_TO_MERCHANT');
        atForward = await merchantView(m, id);
        await t.http.post(`/v1/merchant/disputes/${id}/accept`).set('Authorization', m.auth).expect(200);
        const now = await merchantView(m, id);
        expect(now).toMatchObject({ status: 'lost', allowed_actions: [], evidence_due_by: null });
      } finally {
        await effects.resume();
      }
      expect(atForward).toMatchObject({ status: 'needs_response', allowed_actions: expect.arrayContaining(['accept', 'submit_evidence']) });
      expect(atForward.evidence_due_by).not.toBeNull();

      const events = await waitFor('the three events, verified', async () => {
        const received = await receiver.received();
        return received.filter((r) => r.status === 200).length >= 3 ? received : undefined;
      });
      const awaiting = events.find((r) => r.event.type === 'dispute.awaiting_merchant')!;
      // The body is the merchant API's answer at the event, field for field, though the case has moved on since.
      expect(awaiting.event.data.object).toEqual(atForward);
      expect(awaiting.event.data.decision).toMatchObject({ outcome: null, amount_refunded: 0 });
      expect(awaiting.verifiedWith).toEqual([endpoint.secret]);
      const resolved = events.find((r) => r.event.type === 'dispute.resolved')!;
      expect(resolved.event.data.object).toMatchObject({ status: 'lost', allowed_actions: [] });
      expect(resolved.event.data.decision).toMatchObject({ outcome: 'full_refund', decided_by: 'merchant' });

      // A replay long after sends the very same bytes: the body was frozen when the delivery was made.
      const [delivery] = await t.sql<{ id: string; body: string }>(`select id, body from webhook_deliveries where endpoint_id = $1 and event_type = 'dispute.awaiting_merchant'`, [
        endpoint.id,
      ]);
      await t.http.post(`/v1/merchant/webhook-deliveries/${delivery!.id}/replay`).set('Authorization', m.auth).expect(200);
      const replayed = await waitFor('the replay', async () => {
        const received = await receiver.received();
        return received.filter((r) => r.event.type === 'dispute.awaiting_merchant').length === 2 ? received.at(-1) : undefined;
      });
      expect(replayed.body).toBe(delivery!.body);
      expect(replayed.body).toBe(awaiting.body);
    } finally {
      await receiver.close();
    }
  });

  it('facts outside the case row are taken as of the event too: evidence submitted, whether the merchant had been asked', async () => {
    const m = await t.createMerchant();
    const receiver = await startStandardWebhooksReceiver([]);
    try {
      const endpoint = await subscribe(m, receiver.url(), ['dispute.info_requested', 'dispute.withdrawn']);
      await receiver.setSecrets([endpoint.secret]);
      const id = await openDispute(m);
      await agentEvent(id, 'FORWARD_TO_MERCHANT');
      await t.http.post(`/v1/merchant/disputes/${id}/evidence`).set('Authorization', m.auth).send({ shipping_proof: 'SF1400000001, signed' }).expect(200);
      await t.http.post(`/v1/merchant/disputes/${id}/evidence/submit`).set('Authorization', m.auth).send({ summary: 'Delivered.' }).expect(200);

      await effects.pause();
      let atRequest: Record<string, unknown>;
      let atWithdrawal: Record<string, unknown>;
      try {
        await agentEvent(id, 'REQUEST_MERCHANT_INFO', { question: 'Please send the signed proof of delivery' });
        atRequest = await merchantView(m, id);
        await t.http.post(`/v1/merchant/disputes/${id}/evidence`).set('Authorization', m.auth).send({ receipt: 'Signed slip' }).expect(200);
        await t.http.post(`/v1/merchant/disputes/${id}/evidence/submit`).set('Authorization', m.auth).send({ summary: 'Signed slip.' }).expect(200);
        await agentEvent(id, 'WITHDRAW', { reason: 'The parcel turned up' });
        atWithdrawal = await merchantView(m, id);
      } finally {
        await effects.resume();
      }
      expect(atRequest).toMatchObject({
        status: 'needs_response',
        has_evidence: true,
        submission_count: 1,
        info_request: { question: 'Please send the signed proof of delivery' },
      });
      expect(atWithdrawal).toMatchObject({ status: 'won', submission_count: 2, info_request: null });

      const events = await waitFor('both events', async () => {
        const received = await receiver.received();
        return received.filter((r) => r.status === 200).length >= 2 ? received : undefined;
      });
      expect(events.find((r) => r.event.type === 'dispute.info_requested')!.event.data.object).toEqual(atRequest);
      expect(events.find((r) => r.event.type === 'dispute.withdrawn')!.event.data.object).toEqual(atWithdrawal);
    } finally {
      await receiver.close();
    }
  });

  it('a refund request’s webhook delivered after the merchant decided carries the request as it was at the event', async () => {
    const m = await t.createMerchant();
    const receiver = await startStandardWebhooksReceiver([]);
    try {
      const endpoint = await subscribe(m, receiver.url(), ['refund_request.submitted']);
      await receiver.setSecrets([endpoint.secret]);
      const requestView = async (id: string) => (await t.http.get(`/v1/merchant/refund-requests/${id}`).set('Authorization', m.auth).expect(200)).body;

      // The effect worker lags: the opening's `notify` waits on the queue while the merchant approves.
      await effects.pause();
      let atSubmit: Record<string, unknown>;
      let id: string;
      try {
        const opened = await t.http
          .post('/v1/intake/cases')
          .set('Authorization', t.intakeAuth)
          .send({
            kind: 'refund_request',
            subject: '想退货',
            customer: { id: 'u_frozen' },
            merchantId: m.id,
            transactionRef: `TX-FROZEN-${Date.now()}`,
            amount: { amountMinor: 20_000, currency: 'CNY' },
            reason: 'changed_mind',
            purchasedAt: new Date(Date.now() - 2 * 24 * 3600 * 1000).toISOString(),
          })
          .expect(200);
        id = opened.body.case.id;
        atSubmit = await requestView(id);
        await t.http.post(`/v1/merchant/refund-requests/${id}/approve`).set('Authorization', m.auth).send({ reason: 'Returned unopened' }).expect(200);
        expect(await requestView(id)).toMatchObject({ status: 'refund_pending', allowed_actions: [], respond_by: null, decision: { outcome: 'full_refund' } });
      } finally {
        await effects.resume();
      }
      expect(atSubmit).toMatchObject({ status: 'needs_response', allowed_actions: ['approve', 'reject'], decision: null, refundable_amount: 20_000 });
      expect(atSubmit.respond_by).not.toBeNull();

      const submitted = await waitFor('the submitted event, verified', async () => (await receiver.received()).find((r) => r.status === 200));
      // Field for field what the merchant API answered at the event, though the merchant has decided since.
      expect(submitted.event.type).toBe('refund_request.submitted');
      expect(submitted.event.data.object).toEqual(atSubmit);
    } finally {
      await receiver.close();
    }
  });

  it('an agent’s message delivered after the case moved on carries the dispute as it was when the message was sent', async () => {
    const m = await t.createMerchant();
    const receiver = await startStandardWebhooksReceiver([]);
    try {
      const endpoint = await subscribe(m, receiver.url(), ['dispute.message']);
      await receiver.setSecrets([endpoint.secret]);
      const id = await openDispute(m);
      await agentEvent(id, 'FORWARD_TO_MERCHANT');

      await effects.pause();
      let atMessage: Record<string, unknown>;
      let messageId: string;
      try {
        messageId = (
          await t.http.post(`/v1/cases/${id}/messages`).set('Authorization', t.auth).send({ party: 'merchant', body: 'Please send the tracking number.', locale: 'en' }).expect(201)
        ).body.id;
        atMessage = await merchantView(m, id);
        await t.http.post(`/v1/merchant/disputes/${id}/accept`).set('Authorization', m.auth).expect(200);
      } finally {
        await effects.resume();
      }
      expect(atMessage).toMatchObject({ status: 'needs_response', allowed_actions: expect.arrayContaining(['accept']) });
      // The row carries the case as it was: the forward's version, and the time it was last updated, not the message's.
      const [row] = await t.sql<{ payload: { moment: { version: number; status: string; updated: string } } }>(
        'select o.payload from outbox o join case_messages m on m.outbox_id = o.id where m.id = $1',
        [messageId],
      );
      expect(row!.payload.moment).toMatchObject({ version: 2, status: 'active', updated: atMessage.updated });

      const delivered = await waitFor('the message event, verified', async () => (await receiver.received()).find((r) => r.status === 200));
      expect(delivered.event.data.object).toEqual(atMessage);
      expect(delivered.event.data.message).toMatchObject({ id: messageId, body: 'Please send the tracking number.' });
    } finally {
      await receiver.close();
    }
  });

  it('a rotated secret: both sign through the grace period, then only the new one; rotation with no grace ends the old one at once', async () => {
    const m = await t.createMerchant();
    const receiver = await startStandardWebhooksReceiver([]);
    try {
      const endpoint = await subscribe(m, receiver.url(), ['dispute.awaiting_merchant']);
      const first = endpoint.secret;
      const sendTest = async () => {
        const before = (await receiver.received()).length;
        const delivery = (await t.http.post(`/v1/merchant/webhook-endpoints/${endpoint.id}/test`).set('Authorization', m.auth).expect(200)).body;
        expect(delivery).toMatchObject({ object: 'webhook_delivery', endpoint_id: endpoint.id, event_type: 'webhook_endpoint.test', dispute_id: null, status: 'pending' });
        return waitFor('the test event', async () => (await receiver.received())[before]);
      };
      // The receiver knows both the old and the new secret, and reports which verify each request.
      const rotated = (await t.http.post(`/v1/merchant/webhook-endpoints/${endpoint.id}/rotate-secret`).set('Authorization', m.auth).send({ expires_in_seconds: 3600 }).expect(200))
        .body;
      expect(rotated.secret).toMatch(/^whsec_/);
      expect(rotated.secret).not.toBe(first);
      expect(Date.parse(rotated.previous_secret_expires_at)).toBeGreaterThan(Date.now() + 3500_000);
      await receiver.setSecrets([first, rotated.secret]);

      const duringGrace = await sendTest();
      expect(duringGrace.status).toBe(200);
      expect(String(duringGrace.headers['webhook-signature']).split(' ')).toHaveLength(2);
      // A receiver still on the old secret and one already on the new one both accept it.
      expect(duringGrace.verifiedWith.sort()).toEqual([first, rotated.secret].sort());
      expect(duringGrace.event).toMatchObject({ type: 'webhook_endpoint.test', data: { test: true, object: { id: endpoint.id, object: 'webhook_endpoint' } } });

      // As if the grace period had run out.
      await t.sql(`update webhook_endpoints set previous_secret_expires_at = now() - interval '1 second' where id = $1`, [endpoint.id]);
      const afterGrace = await sendTest();
      expect(String(afterGrace.headers['webhook-signature']).split(' ')).toHaveLength(1);
      expect(afterGrace.verifiedWith).toEqual([rotated.secret]);

      // A leaked secret: rotate with no grace period; the old one signs nothing from now on.
      const third = (await t.http.post(`/v1/merchant/webhook-endpoints/${endpoint.id}/rotate-secret`).set('Authorization', m.auth).send({ expires_in_seconds: 0 }).expect(200))
        .body;
      expect(third.previous_secret_expires_at).toBeNull();
      await receiver.setSecrets([first, rotated.secret, third.secret]);
      const afterLeak = await sendTest();
      expect(afterLeak.verifiedWith).toEqual([third.secret]);
      // Real events are signed the same way.
      await agentEvent(await openDispute(m), 'FORWARD_TO_MERCHANT');
      const real = await waitFor('the dispute event', async () => (await receiver.received()).find((r) => r.event.type === 'dispute.awaiting_merchant'));
      expect(real.verifiedWith).toEqual([third.secret]);

      // The secrets are sealed at rest, the replaced one too, and never shown again.
      await t.http.post(`/v1/merchant/webhook-endpoints/${endpoint.id}/rotate-secret`).set('Authorization', m.auth).send({}).expect(200);
      const [row] = await t.sql<{ secret: string; previous_secret: string }>('select secret, previous_secret from webhook_endpoints where id = $1', [endpoint.id]);
      expect(row!.secret).toMatch(/^enc1\./);
      expect(row!.previous_secret).toMatch(/^enc1\./);
      const listed = JSON.stringify((await t.http.get('/v1/merchant/webhook-endpoints').set('Authorization', m.auth).expect(200)).body);
      for (const secret of [first, rotated.secret, third.secret]) expect(listed).not.toContain(secret.slice('whsec_'.length));

      // Out-of-range grace, a read-only key, another merchant's endpoint: refused, nothing changes.
      const other = await t.createMerchant();
      await t.http
        .post(`/v1/merchant/webhook-endpoints/${endpoint.id}/rotate-secret`)
        .set('Authorization', m.auth)
        .send({ expires_in_seconds: 8 * 86400 })
        .expect(400);
      await t.http.post(`/v1/merchant/webhook-endpoints/${endpoint.id}/rotate-secret`).set('Authorization', m.readOnlyAuth).send({}).expect(403);
      const foreign = await t.http.post(`/v1/merchant/webhook-endpoints/${endpoint.id}/rotate-secret`).set('Authorization', other.auth).send({}).expect(404);
      expect(foreign.body.code).toBe('NOT_FOUND');
      const [unchanged] = await t.sql<{ secret: string }>('select secret from webhook_endpoints where id = $1', [endpoint.id]);
      expect(unchanged!.secret).toBe(row!.secret);

      const audit = await t.sql<{ action: string }>(`select action from admin_audit_log where target_id = $1 order by id`, [endpoint.id]);
      expect(audit.map((a) => a.action)).toEqual([
        'webhook_endpoint.created',
        'webhook_endpoint.secret_rotated',
        'webhook_endpoint.secret_rotated',
        'webhook_endpoint.secret_rotated',
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('an endpoint is updated in place (URL, event types, description, disabled), with the create checks; a disabled one gets no test event', async () => {
    const m = await t.createMerchant();
    const receiver = await startStandardWebhooksReceiver([]);
    try {
      const endpoint = await subscribe(m, receiver.url('/old'), ['dispute.withdrawn']);
      await receiver.setSecrets([endpoint.secret]);
      const update = (body: Record<string, unknown>, auth = m.auth) => t.http.post(`/v1/merchant/webhook-endpoints/${endpoint.id}`).set('Authorization', auth).send(body);

      const updated = (await update({ url: receiver.url('/new'), events: ['dispute.awaiting_merchant'], description: 'disputes' }).expect(200)).body;
      expect(updated).toMatchObject({ id: endpoint.id, url: receiver.url('/new'), events: ['dispute.awaiting_merchant'], description: 'disputes', status: 'enabled' });
      await agentEvent(await openDispute(m), 'FORWARD_TO_MERCHANT');
      const event = await waitFor('the event at the new URL', async () => (await receiver.received())[0]);
      expect(event).toMatchObject({ path: '/new', status: 200, verifiedWith: [endpoint.secret] });
      expect(event.event.type).toBe('dispute.awaiting_merchant');

      // Bad input: 400 with a code, and the endpoint stays as it was.
      expect((await update({ events: ['dispute.nonsense'] }).expect(400)).body.code).toBe('VALIDATION_FAILED');
      expect((await update({ url: 'ftp://example.com/hook' }).expect(400)).body.code).toBe('WEBHOOK_TARGET_REFUSED');
      expect((await update({ url: 'https://user:pw@example.com/hook' }).expect(400)).body.code).toBe('WEBHOOK_TARGET_REFUSED');
      await update({ events: [] }).expect(400);
      await update({ disabled: 'yes' }).expect(400);
      await update({ description: null }, m.readOnlyAuth).expect(403);
      await t.http
        .post(`/v1/merchant/webhook-endpoints/${endpoint.id}`)
        .set('Authorization', (await t.createMerchant()).auth)
        .send({ description: 'x' })
        .expect(404);
      const listed = (await t.http.get('/v1/merchant/webhook-endpoints').set('Authorization', m.auth).expect(200)).body.data;
      expect(listed).toEqual([updated]);

      // Disabled by the merchant: no test event; enabled again, it works.
      expect((await update({ disabled: true }).expect(200)).body).toMatchObject({ status: 'disabled', disabled_reason: 'disabled by the merchant' });
      expect((await t.http.post(`/v1/merchant/webhook-endpoints/${endpoint.id}/test`).set('Authorization', m.auth).expect(400)).body.code).toBe('VALIDATION_FAILED');
      expect((await update({ disabled: false, description: null }).expect(200)).body).toMatchObject({ status: 'enabled', disabled_reason: null, description: null });
      const test = (await t.http.post(`/v1/merchant/webhook-endpoints/${endpoint.id}/test`).set('Authorization', m.auth).expect(200)).body;
      await waitFor('the test event', async () => (await receiver.received()).find((r) => r.event.type === 'webhook_endpoint.test'));
      const deliveries = await waitFor('the test delivery to succeed', async () => {
        const list = (await t.http.get(`/v1/merchant/webhook-deliveries?endpoint_id=${endpoint.id}`).set('Authorization', m.auth).expect(200)).body.data;
        return list.find((d: { id: string; status: string }) => d.id === test.id && d.status === 'succeeded') ? list : undefined;
      });
      expect(deliveries.find((d: { id: string }) => d.id === test.id)).toMatchObject({ event_type: 'webhook_endpoint.test', attempts: [{ status_code: 200 }] });

      const audit = await t.sql<{ action: string; details: Record<string, unknown> }>(`select action, details from admin_audit_log where target_id = $1 order by id`, [
        endpoint.id,
      ]);
      expect(audit.map((a) => a.action)).toEqual(['webhook_endpoint.created', 'webhook_endpoint.updated', 'webhook_endpoint.updated', 'webhook_endpoint.updated']);
      // The URL's origin only, never its path or query.
      expect(audit[1]!.details).toMatchObject({ origin: new URL(receiver.url()).origin, events: ['dispute.awaiting_merchant'] });
      expect(JSON.stringify(audit)).not.toContain('/new');
    } finally {
      await receiver.close();
    }
  });
});
