import { acceptForMerchant } from '../support/four-eyes';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * The wallet misbehaving, with the real simulator: an answer that times out after the money went
 * out (TIMEOUT-), a callback that never comes (LOSTCB-), and a wallet that cannot be reached at
 * all (a TCP proxy in front of the simulator that stops listening).
 */
const openAndAccept = async (t: TestApp, transactionRef: string) => {
  const { body: opened } = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody({ transactionRef })).expect(201);
  await t.http.post(`/v1/cases/${opened.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
  await acceptForMerchant(t, opened.id, 2);
  return opened.id as string;
};
const stateOf = async (t: TestApp, id: string) => (await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200)).body.state as string;
const refundEvents = async (t: TestApp, id: string) =>
  ((await t.http.get(`/v1/cases/${id}/timeline`).set('Authorization', t.auth).expect(200)).body as Array<{ type: string }>)
    .map((e) => e.type)
    .filter((type) => type.startsWith('REFUND_'));

describe('a slow wallet: timeouts and lost callbacks', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Settlements take 4 s, answers time out after 1.5 s, and refunds quiet for 1 s are looked up.
    t = await startTestApp({ WALLET_TIMEOUT_MS: '1500', WALLET_REFUND_POLL_SECONDS: '1' }, { walletSimEnv: { SIM_SETTLEMENT_DELAY_MS: '4000' } });
  });
  afterAll(() => t.close());

  it('a request that timed out after the wallet took it is looked up by its key on the next try, and paid once', async () => {
    const transactionRef = `TIMEOUT-${Date.now()}`;
    const caseId = await openAndAccept(t, transactionRef);
    const [row] = await waitFor('the next try to find the refund processing', async () => {
      const rows = await t.sql<{ status: string; processing_at: Date | null; gateway_refund_id: string | null }>(
        'select status, processing_at, gateway_refund_id from refunds where case_id = $1',
        [caseId],
      );
      return rows[0]?.processing_at ? rows : undefined;
    });
    expect(row!.gateway_refund_id).toEqual(expect.any(String));
    await waitFor('the refund to resolve the case', async () => (await stateOf(t, caseId)) === 'resolved');
    const [effect] = await t.sql<{ attempts: number; status: string }>(`select attempts, status from outbox where case_id = $1 and type = 'requestRefund'`, [caseId]);
    expect(effect).toMatchObject({ status: 'done' });
    expect(effect!.attempts).toBeGreaterThanOrEqual(2);
    const paid = (await t.wallet.refunds()).filter((refund) => refund.transaction_ref === transactionRef);
    expect(paid).toEqual([expect.objectContaining({ amount_minor: 10_000, refund_id: row!.gateway_refund_id })]);
    expect(await refundEvents(t, caseId)).toEqual(['REFUND_SUCCEEDED']);
  });

  it('a refund whose callback is lost is found by the poller', async () => {
    const transactionRef = `LOSTCB-${Date.now()}`;
    const caseId = await openAndAccept(t, transactionRef);
    await waitFor('the poller to settle the refund', async () => (await stateOf(t, caseId)) === 'resolved');
    const [refund] = await t.sql<{ status: string; idempotency_key: string; last_checked_at: Date | null }>(
      'select status, idempotency_key, last_checked_at from refunds where case_id = $1',
      [caseId],
    );
    expect(refund).toMatchObject({ status: 'succeeded', last_checked_at: expect.any(Date) });
    // Nothing came from the wallet: the simulator sent no callback and we received none.
    expect((await t.wallet.callbacks()).filter((callback) => callback.event.data.idempotency_key === refund!.idempotency_key)).toEqual([]);
    expect(await t.sql('select event_id from wallet_events_received where idempotency_key = $1', [refund!.idempotency_key])).toEqual([]);
    expect(await refundEvents(t, caseId)).toEqual(['REFUND_SUCCEEDED']);
  });
});

/**
 * Forwards TCP to a target; `down()` stops listening (connection refused) and drops open
 * connections. Connections made before the target is known wait for it (the app may call the
 * wallet while it boots, before the simulator's port is known here).
 */
class SwitchableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private setTarget!: (target: URL) => void;
  private readonly target = new Promise<URL>((resolve) => (this.setTarget = resolve));
  port = 0;

  forwardTo(target: URL): void {
    this.setTarget(target);
  }

  async up(): Promise<void> {
    this.server = createServer((client) => {
      client.pause();
      // The target promise only ever resolves: nothing here can reject.
      void this.target.then((target) => {
        const upstream = connect(Number(target.port), target.hostname);
        for (const socket of [client, upstream]) {
          this.sockets.add(socket);
          socket.on('close', () => this.sockets.delete(socket));
          socket.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
        client.resume();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async down(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

describe('an unreachable wallet: the circuit opens, the effect is retried later', () => {
  let t: TestApp;
  const proxy = new SwitchableProxy();

  beforeAll(async () => {
    await proxy.up();
    t = await startTestApp({
      WALLET_BASE_URL: `http://127.0.0.1:${proxy.port}`,
      WALLET_MAX_RETRIES: '2',
      WALLET_BREAKER_VOLUME_THRESHOLD: '2',
      WALLET_BREAKER_ERROR_PERCENT: '50',
      WALLET_BREAKER_RESET_MS: '1500',
    });
    proxy.forwardTo(new URL(t.wallet.baseUrl));
  });
  afterAll(async () => {
    await t.close();
    await proxy.down().catch(() => undefined);
  });

  it('refunds wait while the wallet is down and go out once it is back', async () => {
    const transactionRef = `TX-BREAKER-${Date.now()}`;
    const { body: opened } = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody({ transactionRef })).expect(201);
    await t.http.post(`/v1/cases/${opened.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);

    await proxy.down();
    await acceptForMerchant(t, opened.id, 2);
    const failing = await waitFor('the circuit to open on the refund effect', async () => {
      const [row] = await t.sql<{ status: string; attempts: number; last_error: string | null }>(
        `select status, attempts, last_error from outbox where case_id = $1 and type = 'requestRefund'`,
        [opened.id],
      );
      return row?.last_error?.includes('CIRCUIT_OPEN') ? row : undefined;
    });
    expect(failing.status).not.toBe('done');
    expect(await t.sql('select status from refunds where case_id = $1', [opened.id])).toEqual([{ status: 'requested' }]);
    expect(await stateOf(t, opened.id)).toBe('refunding.pending');
    expect((await t.wallet.refunds()).filter((refund) => refund.transaction_ref === transactionRef)).toEqual([]);

    await proxy.up();
    await waitFor('the retried refund to resolve the case', async () => (await stateOf(t, opened.id)) === 'resolved', 30_000);
    expect((await t.wallet.refunds()).filter((refund) => refund.transaction_ref === transactionRef)).toHaveLength(1);
    expect(await refundEvents(t, opened.id)).toEqual(['REFUND_SUCCEEDED']);
  });
});
