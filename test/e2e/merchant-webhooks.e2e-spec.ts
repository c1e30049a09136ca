import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES, jobIds } from '@app/queues';
import { disputeBody, startTestApp, type TestApp, type TestMerchant } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver } from '../support/webhook-receiver';
import { WebhookSecretBox, WebhookSweeper, generateWebhookSecret, sealWebhookSecrets, verifyWebhook } from '@app/webhooks';

describe('merchant webhooks: signed, retried, logged, replayable, disabled when gone', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Retry delays of a fraction of a second instead of minutes to days; the code path is the same.
    t = await startTestApp({ WEBHOOK_RETRY_DELAYS_MS: '200,300,400,500,600,700', WEBHOOK_TIMEOUT_MS: '2000' });
  });
  afterAll(() => t.close());

  const subscribe = async (m: TestMerchant, url: string, events: string[] = ['*']) =>
    (await t.http.post('/v1/merchant/webhook-endpoints').set('Authorization', m.auth).send({ url, events }).expect(200)).body as { id: string; secret: string };

  const openAndForward = async (m: TestMerchant) => {
    const { body } = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ merchantId: m.id }))
      .expect(201);
    await t.http.post(`/v1/cases/${body.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
    return body.id as string;
  };

  it('a receiver that fails for a while, then recovers, gets each event once in the end, every one signed and verifiable', async () => {
    const m = await t.createMerchant();
    // The first five requests fail in different ways (errors, a 429, a redirect we must not follow).
    const failures = [500, 503, 429, 302, 500];
    const receiver = await startWebhookReceiver((index) => failures[index] ?? 200);
    try {
      const endpoint = await subscribe(m, receiver.url);
      expect(endpoint.secret).toMatch(/^whsec_/);
      // At rest the secret is sealed (AES-256-GCM under WEBHOOK_SECRET_KEYS), never in the clear.
      const [stored] = await t.sql<{ secret: string }>('select secret from webhook_endpoints where id = $1', [endpoint.id]);
      expect(stored!.secret).toMatch(/^enc1\./);
      expect(stored!.secret).not.toContain(endpoint.secret.slice('whsec_'.length));
      const listed = await t.http.get('/v1/merchant/webhook-endpoints').set('Authorization', m.auth).expect(200);
      expect(JSON.stringify(listed.body)).not.toContain(endpoint.secret);

      const id = await openAndForward(m);
      await t.http.post(`/v1/merchant/disputes/${id}/accept`).set('Authorization', m.auth).expect(200);

      const expectedTypes = ['dispute.awaiting_merchant', 'dispute.refund_succeeded', 'dispute.resolved'];
      const accepted = await waitFor(
        'three events accepted by the receiver',
        async () => {
          const ok = receiver.accepted();
          return ok.length >= 3 ? ok : undefined;
        },
        20_000,
      );
      expect(receiver.received.length).toBeGreaterThan(3);
      expect(accepted.map((r) => r.event.type).sort()).toEqual(expectedTypes.sort());

      // One delivery per event id in the end, and the id is the same across its retries.
      const ids = accepted.map((r) => r.headers['webhook-id']);
      expect(new Set(ids).size).toBe(3);
      for (const request of receiver.received) expect(ids).toContain(request.headers['webhook-id']);
      const outbox = await t.sql<{ id: string }>(`select id from outbox where case_id = $1 and type = 'notify' and payload->>'topic' = any($2)`, [id, expectedTypes]);
      expect(ids.sort()).toEqual(outbox.map((row) => `evt_${row.id.replace(/-/g, '')}`).sort());

      for (const request of receiver.received) {
        const timestamp = Number(request.headers['webhook-timestamp']);
        expect(Math.abs(timestamp - request.receivedAtSeconds)).toBeLessThanOrEqual(5);
        expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
        expect(verifyWebhook({ headers: request.headers, body: request.body, secret: endpoint.secret, nowSeconds: request.receivedAtSeconds })).toEqual({ ok: true });
        // What a receiver rejects: a replay of this very request later, or before its time; a changed body.
        expect(verifyWebhook({ headers: request.headers, body: request.body, secret: endpoint.secret, nowSeconds: timestamp + 301 })).toEqual({
          ok: false,
          reason: 'timestamp_outside_tolerance',
        });
        expect(verifyWebhook({ headers: request.headers, body: request.body, secret: endpoint.secret, nowSeconds: timestamp - 301 })).toEqual({
          ok: false,
          reason: 'timestamp_outside_tolerance',
        });
        expect(verifyWebhook({ headers: request.headers, body: request.body.replace('"', ' "'), secret: endpoint.secret, nowSeconds: timestamp }).ok).toBe(false);
      }
      const resolved = accepted.find((r) => r.event.type === 'dispute.resolved')!.event;
      expect(resolved.data.object).toMatchObject({ id, status: 'lost', amount: 10_000 });
      expect(resolved.data.decision).toMatchObject({ outcome: 'full_refund', decided_by: 'merchant', amount_refunded: 10_000 });

      // Every attempt is logged, and the log is what the merchant sees.
      const deliveries = await t.http.get(`/v1/merchant/webhook-deliveries?endpoint_id=${endpoint.id}`).set('Authorization', m.auth).expect(200);
      expect(deliveries.body.data).toHaveLength(3);
      for (const delivery of deliveries.body.data) expect(delivery.status).toBe('succeeded');
      const logged = deliveries.body.data.flatMap((d: { attempts: Array<{ status_code: number }> }) => d.attempts.map((a) => a.status_code));
      expect(logged.sort()).toEqual(receiver.received.map((r) => r.answeredWith).sort());
      const [{ failing_since }] = await t.sql<{ failing_since: Date | null }>('select failing_since from webhook_endpoints where id = $1', [endpoint.id]);
      expect(failing_since).toBeNull();

      // Replay on demand: the same webhook-id and body again, a new attempt in the log.
      const first = deliveries.body.data[0];
      const before = receiver.received.length;
      await t.http.post(`/v1/merchant/webhook-deliveries/${first.id}/replay`).set('Authorization', m.auth).expect(200);
      const replayed = await waitFor('the replay', async () => receiver.received[before]);
      expect(replayed.headers['webhook-id']).toBe(first.event_id);
      expect(replayed.body).toBe(receiver.accepted().find((r) => r.headers['webhook-id'] === first.event_id)!.body);
      await waitFor('the replay to be logged', async () => {
        const [row] = await t.sql<{ status: string; generation: number }>('select status, generation from webhook_deliveries where id = $1', [first.id]);
        return row!.status === 'succeeded' && row!.generation === 1;
      });
    } finally {
      await receiver.close();
    }
  });

  it('a secret stored in the clear (before sealing existed) still signs, and db:migrate seals it', async () => {
    const m = await t.createMerchant();
    const receiver = await startWebhookReceiver(() => 200);
    try {
      const endpoint = await subscribe(m, receiver.url, ['dispute.awaiting_merchant']);
      const legacy = generateWebhookSecret();
      await t.sql('update webhook_endpoints set secret = $2 where id = $1', [endpoint.id, legacy]);
      const box = t.app.get(WebhookSecretBox);
      expect(await sealWebhookSecrets(t.config.database.url, box)).toBeGreaterThanOrEqual(1);
      const [stored] = await t.sql<{ secret: string }>('select secret from webhook_endpoints where id = $1', [endpoint.id]);
      expect(stored!.secret).toMatch(/^enc1\./);
      expect(box.open(stored!.secret, endpoint.id)).toBe(legacy);
      // Sealed already: a second run has nothing left to do for this endpoint.
      await sealWebhookSecrets(t.config.database.url, box);
      expect((await t.sql<{ secret: string }>('select secret from webhook_endpoints where id = $1', [endpoint.id]))[0]!.secret).toBe(stored!.secret);

      await openAndForward(m);
      const [request] = await waitFor('the event', async () => (receiver.accepted().length ? receiver.accepted() : undefined));
      expect(verifyWebhook({ headers: request!.headers, body: request!.body, secret: legacy, nowSeconds: request!.receivedAtSeconds })).toEqual({ ok: true });
    } finally {
      await receiver.close();
    }
  });

  it('a secret that cannot be opened (copied from another endpoint, or its key dropped) fails the delivery at once, unsent', async () => {
    const m = await t.createMerchant();
    const receiver = await startWebhookReceiver(() => 200);
    try {
      const victim = await subscribe(m, receiver.url, ['dispute.awaiting_merchant']);
      const other = await subscribe(m, `${receiver.url}?other`, ['dispute.withdrawn']);
      // Sealed secrets are bound to their endpoint: another endpoint's does not open here.
      await t.sql('update webhook_endpoints set secret = (select secret from webhook_endpoints where id = $2) where id = $1', [victim.id, other.id]);
      await openAndForward(m);
      const [delivery] = await waitFor('the delivery to fail', async () => {
        const rows = await t.sql<{ status: string; last_error: string }>('select status, last_error from webhook_deliveries where endpoint_id = $1', [victim.id]);
        return rows[0]?.status === 'failed' ? rows : undefined;
      });
      expect(delivery!.last_error).toMatch(/signing secret cannot be opened/);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });

  /**
   * The first attempt (answered 500) has recorded its outcome in PostgreSQL and then put its retry
   * on the queue, both after the receiver answered: the receiver having the request is not enough.
   * Polled every 20 ms: that retry is due 200 ms later (WEBHOOK_RETRY_DELAYS_MS), and the test must act first.
   */
  const firstAttemptRecorded = (endpointId: string) =>
    waitFor(
      'the first, failed attempt recorded and its retry queued',
      async () => {
        const [row] = await t.sql<{ id: string; generation: number; last_status_code: number | null }>(
          'select id, generation, last_status_code from webhook_deliveries where endpoint_id = $1',
          [endpointId],
        );
        if (row?.last_status_code !== 500) return false;
        const retry = await t.app.get<Queue>(getQueueToken(QUEUES.webhooks)).getJob(jobIds.webhook(row.id, row.generation, 2));
        return retry !== undefined;
      },
      15_000,
      20,
    );

  it('a retry lost with Redis (FLUSH between attempts) is put back by the sweeper from PostgreSQL', async () => {
    const m = await t.createMerchant();
    const receiver = await startWebhookReceiver((index) => (index === 0 ? 500 : 200));
    try {
      const endpoint = await subscribe(m, receiver.url, ['dispute.awaiting_merchant']);
      await openAndForward(m);
      // Recorded and queued, not only received: the attempt's own writes would otherwise come after this test's.
      await firstAttemptRecorded(endpoint.id);
      const keys = await t.redis.keys(`${t.config.queues.prefix}:webhooks:*`);
      if (keys.length) await t.redis.del(...keys);
      // As if the retry had been due a minute ago and nobody ran it.
      await t.sql(`update webhook_deliveries set next_attempt_at = now() - interval '1 minute' where endpoint_id = $1`, [endpoint.id]);
      const swept = await t.app.get(WebhookSweeper).sweepOnce();
      expect(swept).toBeGreaterThanOrEqual(1);
      await waitFor('the retry after the sweep', async () => receiver.accepted().length === 1);
      // The attempt records its outcome after the receiver answered: wait for the row to leave pending.
      const delivery = await waitFor('the retry recorded', async () => {
        const [row] = await t.sql<{ status: string; attempts: number }>('select status, attempts from webhook_deliveries where endpoint_id = $1', [endpoint.id]);
        return row?.status === 'pending' ? undefined : row;
      });
      expect(delivery).toEqual({ status: 'succeeded', attempts: 2 });
      expect(receiver.accepted()).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('a notify run again after its delivery job was lost puts the pending delivery back on the queue, and makes no second one', async () => {
    const m = await t.createMerchant();
    const receiver = await startWebhookReceiver((index) => (index === 0 ? 500 : 200));
    try {
      const endpoint = await subscribe(m, receiver.url, ['dispute.awaiting_merchant']);
      const id = await openAndForward(m);
      // Recorded and queued, not only received: only a retry lost after the attempt queued it is the case here.
      await firstAttemptRecorded(endpoint.id);
      const keys = await t.redis.keys(`${t.config.queues.prefix}:webhooks:*`);
      if (keys.length) await t.redis.del(...keys);
      // As after a crash before the row was marked done: the effect runs again, and only it can put the retry back.
      const [row] = await t.sql<{ id: string }>(`select id from outbox where case_id = $1 and payload->>'topic' = 'dispute.awaiting_merchant'`, [id]);
      await t.sql(`update outbox set status = 'pending' where id = $1`, [row!.id]);
      await t.app.get<Queue>(getQueueToken(QUEUES.effects)).add('effect.run', { outboxId: row!.id, caseId: id, type: 'notify' }, { jobId: `rerun-${row!.id}` });
      const deliveries = () => t.sql<{ status: string; attempts: number }>('select status, attempts from webhook_deliveries where outbox_id = $1', [row!.id]);
      await waitFor('the retry after the rerun recorded', async () => (await deliveries()).some((delivery) => delivery.status !== 'pending'));
      expect(await deliveries()).toEqual([{ status: 'succeeded', attempts: 2 }]);
      expect(receiver.received).toHaveLength(2);
      expect(new Set(receiver.received.map((request) => request.headers['webhook-id'])).size).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it('410 Gone disables the endpoint at once; later events are not sent to it', async () => {
    const m = await t.createMerchant();
    const receiver = await startWebhookReceiver(() => 410);
    try {
      const endpoint = await subscribe(m, receiver.url, ['dispute.awaiting_merchant', 'dispute.withdrawn']);
      const id = await openAndForward(m);
      await waitFor('the endpoint to be disabled', async () => {
        const [row] = await t.sql<{ status: string; disabled_reason: string }>('select status, disabled_reason from webhook_endpoints where id = $1', [endpoint.id]);
        return row!.status === 'disabled' ? row : undefined;
      });
      expect(receiver.received).toHaveLength(1);
      const [delivery] = await t.sql<{ status: string; attempts: number }>('select status, attempts from webhook_deliveries where endpoint_id = $1', [endpoint.id]);
      expect(delivery).toEqual({ status: 'failed', attempts: 1 });
      const metrics = (await t.http.get('/metrics').expect(200)).text;
      expect(Number(/^webhook_deliveries_unfinished\{status="failed"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
      const listed = await t.http.get('/v1/merchant/webhook-endpoints').set('Authorization', m.auth).expect(200);
      expect(listed.body.data[0]).toMatchObject({ status: 'disabled', disabled_reason: 'the endpoint answered 410 Gone' });

      await t.http.post(`/v1/cases/${id}/events`).set('Authorization', t.auth).send({ type: 'WITHDRAW', expectedVersion: 2 }).expect(200);
      await waitFor('the withdrawal to be processed', async () => {
        const [row] = await t.sql<{ status: string }>(`select status from outbox where case_id = $1 and payload->>'topic' = 'dispute.withdrawn'`, [id]);
        return row?.status === 'done';
      });
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('an endpoint failing without a success for too long is disabled', async () => {
    const m = await t.createMerchant();
    const receiver = await startWebhookReceiver(() => 500);
    try {
      const endpoint = await subscribe(m, receiver.url);
      // As if it had been failing for six days (the limit is five).
      await t.sql(`update webhook_endpoints set failing_since = now() - interval '6 days' where id = $1`, [endpoint.id]);
      await openAndForward(m);
      const disabled = await waitFor('the endpoint to be disabled', async () => {
        const [row] = await t.sql<{ status: string; disabled_reason: string }>('select status, disabled_reason from webhook_endpoints where id = $1', [endpoint.id]);
        return row!.status === 'disabled' ? row : undefined;
      });
      expect(disabled.disabled_reason).toMatch(/^no successful delivery since/);
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('a deleted endpoint gets nothing more, and an unsubscribed event type is not sent', async () => {
    const m = await t.createMerchant();
    const receiver = await startWebhookReceiver();
    try {
      const onlyResolved = await subscribe(m, receiver.url, ['dispute.resolved']);
      const id = await openAndForward(m);
      await waitFor('the forward to be processed', async () => {
        const [row] = await t.sql<{ status: string }>(`select status from outbox where case_id = $1 and payload->>'topic' = 'dispute.awaiting_merchant'`, [id]);
        return row?.status === 'done';
      });
      expect(receiver.received).toHaveLength(0);
      await t.http.delete(`/v1/merchant/webhook-endpoints/${onlyResolved.id}`).set('Authorization', m.auth).expect(200);
      expect((await t.http.get('/v1/merchant/webhook-endpoints').set('Authorization', m.auth).expect(200)).body.data).toEqual([]);
      await t.http.post(`/v1/merchant/disputes/${id}/accept`).set('Authorization', m.auth).expect(200);
      await waitFor('the resolution to be processed', async () => {
        const [row] = await t.sql<{ status: string }>(`select status from outbox where case_id = $1 and payload->>'topic' = 'dispute.resolved'`, [id]);
        return row?.status === 'done';
      });
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });
});
