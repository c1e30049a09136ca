import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { disputeBody, startTestApp, type TestApp, type TestMerchant } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/** A merchant's endpoint that answers after `delayMs`, recording when each request came and how many were open at once. */
async function startSlowReceiver(delayMs: number) {
  const arrivals: number[] = [];
  let open = 0;
  let mostOpen = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    arrivals.push(Date.now());
    open += 1;
    mostOpen = Math.max(mostOpen, open);
    setTimeout(() => {
      open -= 1;
      response.writeHead(200).end('ok');
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    arrivals,
    mostOpen: () => mostOpen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('webhook fairness: one merchant with slow endpoints cannot take every delivery slot', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Three delivery slots in all, one per merchant: without the cap, the slow merchant's backlog would hold all three.
    t = await startTestApp({ WEBHOOK_WORKER_CONCURRENCY: '3', WEBHOOK_CONCURRENCY_PER_MERCHANT: '1', WEBHOOK_TIMEOUT_MS: '5000' });
  });
  afterAll(() => t.close());

  const subscribe = (m: TestMerchant, url: string) =>
    t.http
      .post('/v1/merchant/webhook-endpoints')
      .set('Authorization', m.auth)
      .send({ url, events: ['dispute.awaiting_merchant'] })
      .expect(200);
  const openAndForward = async (m: TestMerchant) => {
    const { body } = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ merchantId: m.id }))
      .expect(201);
    await t.http.post(`/v1/cases/${body.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
  };

  it("a slow merchant's backlog goes one at a time while another merchant's delivery goes out at once", async () => {
    const slowMerchant = await t.createMerchant();
    const quickMerchant = await t.createMerchant();
    const slow = await startSlowReceiver(1000);
    const quick = await startSlowReceiver(0);
    try {
      await subscribe(slowMerchant, slow.url);
      await subscribe(quickMerchant, quick.url);
      for (let i = 0; i < 3; i++) await openAndForward(slowMerchant);
      await waitFor('the slow merchant to be receiving', async () => slow.arrivals.length >= 1);
      await openAndForward(quickMerchant);

      await waitFor('the quick merchant to get its delivery', async () => quick.arrivals.length === 1, 15_000);
      // It did not wait for the slow backlog: at most two of the three slow ones had started by then.
      expect(slow.arrivals.filter((at) => at <= quick.arrivals[0]!).length).toBeLessThanOrEqual(2);
      await waitFor('every slow delivery', async () => slow.arrivals.length === 3, 60_000);
      expect(slow.mostOpen()).toBe(1);
      const [{ attempts }] = await t.sql<{ attempts: number }>(`select max(attempts)::int as attempts from webhook_deliveries where merchant_id = $1`, [slowMerchant.id]);
      // Waiting for a slot spends no attempt.
      expect(attempts).toBe(1);
    } finally {
      await slow.close();
      await quick.close();
    }
  });
});
