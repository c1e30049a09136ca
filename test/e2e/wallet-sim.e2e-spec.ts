import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signWalletRequest, verifyWalletRequest, WALLET_SIGNATURE_HEADER, WALLET_TIMESTAMP_HEADER } from '@app/wallet';
import { startWalletSim, type WalletSim } from '../support/wallet-sim';
import { waitFor } from '../support/wait-for';

/**
 * The wallet contract (docs/wallet-contract.openapi.yaml) held against the simulator running as
 * its own process: what the engine's adapter relies on, and the failure modes tests and the demo use.
 */

interface ReceivedCallback {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  event: { id: string; type: string; created_at: string; data: Record<string, any> };
  answeredWith: number;
}

/** The engine's side of the callbacks: a real HTTP server that answers as `respond` decides. */
async function startEngineReceiver(respond: (event: ReceivedCallback['event'], seenBefore: number) => number = () => 200) {
  const received: ReceivedCallback[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const event = JSON.parse(body) as ReceivedCallback['event'];
      const status = respond(event, received.filter((r) => r.event.id === event.id).length);
      received.push({ method: request.method!, url: request.url!, headers: request.headers, body, event, answeredWith: status });
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ received: status < 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    forKey: (key: string) => received.filter((r) => r.event.data.idempotency_key === key),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Receiver = Awaited<ReturnType<typeof startEngineReceiver>>;

/** A signed call as the engine's adapter makes it. */
function walletClient(sim: WalletSim) {
  return async (
    method: 'GET' | 'POST',
    pathWithQuery: string,
    body?: unknown,
    options: { secret?: string; at?: Date; sendBody?: string; timeoutMs?: number; unsigned?: boolean } = {},
  ): Promise<{ status: number; body: any }> => {
    const raw = body === undefined ? '' : JSON.stringify(body);
    const signature = options.unsigned ? {} : signWalletRequest(options.secret ?? sim.apiSecret, { method, pathWithQuery, body: raw }, options.at ?? new Date());
    const response = await fetch(`${sim.baseUrl}${pathWithQuery}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...signature },
      body: body === undefined ? undefined : (options.sendBody ?? raw),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    return { status: response.status, body: await response.json() };
  };
}

const unique = (prefix = 'TX') => `${prefix}-${randomBytes(5).toString('hex').toUpperCase()}`;
const refundBody = (ref: string, amount: number, key = `rk_${randomBytes(6).toString('hex')}`) => ({
  idempotency_key: key,
  transaction_ref: ref,
  amount_minor: amount,
  currency: 'CNY',
  reason: 'dispute decided for the customer',
});

describe('wallet simulator (the wallet contract, as a separate process)', () => {
  let sim: WalletSim;
  let engine: Receiver;
  let call: ReturnType<typeof walletClient>;
  /** Answers 500 to the first two deliveries of events whose key starts with `flaky_`, always 503 to `dead_`. */
  const respond = (event: ReceivedCallback['event'], seenBefore: number) => {
    const key = String(event.data.idempotency_key);
    if (key.startsWith('dead_')) return 503;
    return key.startsWith('flaky_') && seenBefore < 2 ? 500 : 200;
  };

  beforeAll(async () => {
    engine = await startEngineReceiver(respond);
    sim = await startWalletSim({
      env: { SIM_SETTLEMENT_DELAY_MS: '300', SIM_ACCOUNT_ACTION_DELAY_MS: '100', SIM_TIMEOUT_HOLD_MS: '20000', SIM_CALLBACK_RETRY_BASE_MS: '100', SIM_CALLBACK_MAX_ATTEMPTS: '4' },
    });
    await sim.setCallbackUrl(engine.baseUrl);
    call = walletClient(sim);
  });

  afterAll(async () => {
    await sim?.stop();
    await engine?.close();
  });

  describe('signatures', () => {
    it('refuses an unsigned request, a wrong secret and a tampered body with 401 INVALID_SIGNATURE', async () => {
      const ref = unique();
      expect(await call('GET', `/v1/transactions/${ref}`, undefined, { unsigned: true })).toMatchObject({ status: 401, body: { code: 'INVALID_SIGNATURE' } });
      expect(await call('GET', `/v1/transactions/${ref}`, undefined, { secret: 'not-the-secret' })).toMatchObject({ status: 401, body: { code: 'INVALID_SIGNATURE' } });
      const tampered = await call('POST', '/v1/refunds', refundBody(ref, 100), { sendBody: JSON.stringify(refundBody(ref, 99_999)) });
      expect(tampered).toMatchObject({ status: 401, body: { code: 'INVALID_SIGNATURE' } });
      expect((await sim.refunds()).filter((refund) => refund.transaction_ref === ref)).toEqual([]);
    });

    it('refuses a signature more than 300 s old with 401 STALE_SIGNATURE', async () => {
      const stale = new Date(Date.now() - 301_000);
      expect(await call('GET', `/v1/transactions/${unique()}`, undefined, { at: stale })).toMatchObject({ status: 401, body: { code: 'STALE_SIGNATURE' } });
    });

    it('signs the query string too: a signature for one list query does not open another', async () => {
      const signed = signWalletRequest(sim.apiSecret, { method: 'GET', pathWithQuery: '/v1/refunds?limit=1', body: '' }, new Date());
      const response = await fetch(`${sim.baseUrl}/v1/refunds?limit=500`, { headers: signed });
      expect(response.status).toBe(401);
    });
  });

  describe('transactions', () => {
    it('answers a seeded transaction under its normalised reference', async () => {
      const ref = unique();
      await sim.createTransaction({ ref, amount_minor: 5000, currency: 'CNY', merchant_id: 'm_1', payer_id: 'u_1' });
      const found = await call('GET', `/v1/transactions/${encodeURIComponent(`  ${ref.toLowerCase()} `)}`);
      expect(found).toMatchObject({
        status: 200,
        body: { ref, amount_minor: 5000, currency: 'CNY', merchant_id: 'm_1', payer_id: 'u_1', status: 'captured', refunded_minor: 0 },
      });
      expect(found.body.funding_sources).toEqual([{ type: 'balance', account_ref: 'balance', amount_minor: 5000 }]);
    });

    it('creates an unknown reference on first look-up (SIM_AUTO_TRANSACTIONS), except UNKNOWN-', async () => {
      const auto = await call('GET', `/v1/transactions/${unique('AUTO')}`);
      expect(auto).toMatchObject({ status: 200, body: { amount_minor: 100_000_000, currency: 'CNY', merchant_id: null, status: 'captured' } });
      expect(await call('GET', `/v1/transactions/${unique('UNKNOWN')}`)).toMatchObject({ status: 404, body: { code: 'TRANSACTION_NOT_FOUND' } });
      expect(await call('POST', '/v1/refunds', refundBody(unique('UNKNOWN'), 100))).toMatchObject({ status: 404, body: { code: 'TRANSACTION_NOT_FOUND' } });
    });
  });

  describe('refunds', () => {
    it('is idempotent by key: the same request answers the same refund, another body is 409', async () => {
      const ref = unique();
      const request = refundBody(ref, 1200);
      const first = await call('POST', '/v1/refunds', request);
      const again = await call('POST', '/v1/refunds', request);
      expect(first).toMatchObject({ status: 200, body: { idempotency_key: request.idempotency_key, transaction_ref: ref, amount_minor: 1200, status: 'processing' } });
      expect(again.status).toBe(200);
      expect(again.body.refund_id).toBe(first.body.refund_id);
      expect(await call('POST', '/v1/refunds', { ...request, amount_minor: 1300 })).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
      expect((await sim.refunds()).filter((refund) => refund.transaction_ref === ref)).toHaveLength(1);
      expect((await call('GET', `/v1/refunds/${request.idempotency_key}`)).body.refund_id).toBe(first.body.refund_id);
      expect(await call('GET', '/v1/refunds/rk_nobody')).toMatchObject({ status: 404, body: { code: 'REFUND_NOT_FOUND' } });
    });

    it('splits a refund back over the funding sources in their order (原路退回) and refuses more than was captured', async () => {
      const ref = unique();
      await sim.createTransaction({
        ref,
        amount_minor: 10_000,
        currency: 'CNY',
        funding_sources: [
          { type: 'bank_card', account_ref: 'card ****1234', amount_minor: 6000 },
          { type: 'balance', account_ref: 'balance', amount_minor: 4000 },
        ],
      });
      const first = await call('POST', '/v1/refunds', refundBody(ref, 7000));
      expect(first.body.splits).toEqual([
        { type: 'bank_card', account_ref: 'card ****1234', amount_minor: 6000 },
        { type: 'balance', account_ref: 'balance', amount_minor: 1000 },
      ]);
      const second = await call('POST', '/v1/refunds', refundBody(ref, 3000));
      expect(second.body.splits).toEqual([{ type: 'balance', account_ref: 'balance', amount_minor: 3000 }]);
      expect(await call('POST', '/v1/refunds', refundBody(ref, 1))).toMatchObject({ status: 422, body: { code: 'REFUND_EXCEEDS_TRANSACTION' } });
      expect((await call('GET', `/v1/transactions/${ref}`)).body.refunded_minor).toBe(10_000);
    });

    it('refuses an over-refund and another currency without storing anything', async () => {
      const ref = unique();
      await sim.createTransaction({ ref, amount_minor: 500, currency: 'CNY' });
      expect(await call('POST', '/v1/refunds', refundBody(ref, 501))).toMatchObject({ status: 422, body: { code: 'REFUND_EXCEEDS_TRANSACTION' } });
      expect(await call('POST', '/v1/refunds', { ...refundBody(ref, 100), currency: 'USD' })).toMatchObject({ status: 422, body: { code: 'CURRENCY_MISMATCH' } });
      expect((await sim.refunds()).filter((refund) => refund.transaction_ref === ref)).toEqual([]);
    });

    it('lets concurrent refunds of one transaction take no more than was captured', async () => {
      const ref = unique();
      await sim.createTransaction({ ref, amount_minor: 10_000, currency: 'CNY' });
      const answers = await Promise.all(Array.from({ length: 5 }, () => call('POST', '/v1/refunds', refundBody(ref, 3000))));
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(3);
      expect(answers.filter((answer) => answer.status === 422).map((answer) => answer.body.code)).toEqual(['REFUND_EXCEEDS_TRANSACTION', 'REFUND_EXCEEDS_TRANSACTION']);
    });

    it('refunds only a captured payment: a pending one is refused until it settles', async () => {
      const ref = unique();
      await sim.createTransaction({ ref, amount_minor: 900, currency: 'CNY', status: 'pending' });
      expect(await call('POST', '/v1/refunds', refundBody(ref, 100))).toMatchObject({ status: 422, body: { code: 'TRANSACTION_NOT_REFUNDABLE' } });
      await sim.settlePendingTransaction(ref);
      expect((await sim.transaction(ref))!.status).toBe('captured');
      expect(await sim.transaction(unique('UNKNOWN'))).toBeNull();
      expect((await call('POST', '/v1/refunds', refundBody(ref, 100))).status).toBe(200);
    });

    it('refuses malformed requests with 400 and a code', async () => {
      const ref = unique();
      expect(await call('POST', '/v1/refunds', { ...refundBody(ref, 100), amount_minor: -5 })).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
      expect(await call('POST', '/v1/refunds', { ...refundBody(ref, 100), amount_minor: 1.5 })).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
      expect(await call('POST', '/v1/refunds', { ...refundBody(ref, 100), currency: 'cny' })).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
      const notJson = signWalletRequest(sim.apiSecret, { method: 'POST', pathWithQuery: '/v1/refunds', body: '{oops' }, new Date());
      const response = await fetch(`${sim.baseUrl}/v1/refunds`, { method: 'POST', headers: { 'content-type': 'application/json', ...notJson }, body: '{oops' });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'INVALID_JSON' });
    });

    it('settles after the settlement delay and sends refund.succeeded, signed with the callback secret', async () => {
      const ref = unique();
      const request = refundBody(ref, 800);
      const refund = await call('POST', '/v1/refunds', request);
      expect(refund.body.expected_arrival_at).toEqual(expect.any(String));
      const [callback] = await waitFor('the refund.succeeded callback', async () =>
        engine.forKey(request.idempotency_key).length ? engine.forKey(request.idempotency_key) : null,
      );
      expect(callback!.method).toBe('POST');
      expect(callback!.url).toBe('/v1/wallet/events');
      expect(callback!.event).toMatchObject({
        id: expect.stringMatching(/^wev_/),
        type: 'refund.succeeded',
        data: {
          refund_id: refund.body.refund_id,
          idempotency_key: request.idempotency_key,
          transaction_ref: ref,
          amount_minor: 800,
          currency: 'CNY',
          settled_at: expect.any(String),
        },
      });
      const headers = { timestamp: callback!.headers[WALLET_TIMESTAMP_HEADER] as string, signature: callback!.headers[WALLET_SIGNATURE_HEADER] as string };
      const parts = { method: 'POST', pathWithQuery: callback!.url, body: callback!.body };
      expect(verifyWalletRequest([sim.callbackSecret], headers, parts, new Date())).toEqual({ ok: true });
      expect(verifyWalletRequest([sim.apiSecret], headers, parts, new Date())).toMatchObject({ ok: false, code: 'INVALID_SIGNATURE' });
      expect(await call('GET', `/v1/refunds/${request.idempotency_key}`)).toMatchObject({
        body: { status: 'succeeded', expected_arrival_at: null, settled_at: expect.any(String) },
      });
    });

    it('retries a callback with backoff until the engine answers 2xx, with the same event and body', async () => {
      const request = refundBody(unique(), 100, `flaky_${randomBytes(4).toString('hex')}`);
      await call('POST', '/v1/refunds', request);
      const deliveries = await waitFor('a callback accepted after two failures', async () => {
        const got = engine.forKey(request.idempotency_key);
        return got.some((r) => r.answeredWith === 200) ? got : null;
      });
      expect(deliveries.map((r) => r.answeredWith)).toEqual([500, 500, 200]);
      expect(new Set(deliveries.map((r) => r.body)).size).toBe(1);
      // The simulator records the delivery once the 200 has reached it, a moment after the engine sent it.
      const recorded = await waitFor('the simulator to record the delivery', async () => {
        const callback = (await sim.callbacks()).find((candidate) => candidate.event.data.idempotency_key === request.idempotency_key);
        return callback?.status === 'delivered' ? callback : null;
      });
      expect(recorded.attempts.map((attempt) => attempt.status_code)).toEqual([500, 500, 200]);
    });

    it('gives a callback up after SIM_CALLBACK_MAX_ATTEMPTS, the delay doubling between attempts', async () => {
      const request = refundBody(unique(), 100, `dead_${randomBytes(4).toString('hex')}`);
      await call('POST', '/v1/refunds', request);
      const givenUp = await waitFor('the callback to be given up', async () =>
        (await sim.callbacks()).find((callback) => callback.event.data.idempotency_key === request.idempotency_key && callback.status === 'given_up'),
      );
      expect(givenUp.attempts.map((attempt) => attempt.status_code)).toEqual([503, 503, 503, 503]);
      expect(engine.forKey(request.idempotency_key)).toHaveLength(4);
      // Lower bounds only: an attempt never goes out before its backoff (100, 200, 400 ms) has passed.
      const times = givenUp.attempts.map((attempt) => new Date(attempt.attempted_at).getTime());
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(100);
      expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(200);
      expect(times[3]! - times[2]!).toBeGreaterThanOrEqual(400);
    });

    it('DECLINE-: answers failed with issuer_declined at once, holds no money and sends no callback', async () => {
      const ref = unique('DECLINE');
      const declined = await call('POST', '/v1/refunds', refundBody(ref, 300));
      expect(declined).toMatchObject({ status: 200, body: { status: 'failed', failure_reason: 'issuer_declined', splits: [] } });
      expect((await call('GET', `/v1/transactions/${ref}`)).body.refunded_minor).toBe(0);
      expect((await sim.callbacks()).filter((callback) => callback.event.data.transaction_ref === ref)).toEqual([]);
    });

    it('TIMEOUT-: carries the first request out but holds its answer; a repeat and a look-up answer at once', async () => {
      const ref = unique('TIMEOUT');
      const request = refundBody(ref, 400);
      await expect(call('POST', '/v1/refunds', request, { timeoutMs: 500 })).rejects.toThrow();
      // The hold is 20 s: answers within 5 s prove the repeat and the look-up are not held. The
      // look-up is polled because the aborted request may still be committing its refund.
      const lookedUp = await waitFor('the refund under the key', async () => {
        const found = await call('GET', `/v1/refunds/${request.idempotency_key}`, undefined, { timeoutMs: 5000 });
        return found.status === 200 ? found : null;
      });
      const repeated = await call('POST', '/v1/refunds', request, { timeoutMs: 5000 });
      expect(repeated.body.refund_id).toBe(lookedUp.body.refund_id);
      expect((await sim.refunds()).filter((refund) => refund.transaction_ref === ref)).toHaveLength(1);
      await waitFor('the TIMEOUT- refund to settle', async () => engine.forKey(request.idempotency_key).length > 0);
    });

    it('SLOW-: stays processing, arriving in 3 days, until the control route settles it', async () => {
      const ref = unique('SLOW');
      const request = refundBody(ref, 250);
      const slow = await call('POST', '/v1/refunds', request);
      expect(slow.body.status).toBe('processing');
      expect(new Date(slow.body.expected_arrival_at).getTime()).toBeGreaterThan(Date.now() + 2 * 24 * 3600_000);
      // A normal refund made after it settles and calls back; the slow one is still processing then.
      const later = refundBody(unique(), 10);
      await call('POST', '/v1/refunds', later);
      await waitFor('the later refund to call back', async () => engine.forKey(later.idempotency_key).length > 0);
      expect((await call('GET', `/v1/refunds/${request.idempotency_key}`)).body.status).toBe('processing');
      expect(engine.forKey(request.idempotency_key)).toEqual([]);

      expect(await sim.settleRefund(request.idempotency_key)).toMatchObject({ status: 'succeeded' });
      const [callback] = await waitFor('refund.succeeded of the slow refund', async () =>
        engine.forKey(request.idempotency_key).length ? engine.forKey(request.idempotency_key) : null,
      );
      expect(callback!.event.type).toBe('refund.succeeded');
      await expect(sim.settleRefund(request.idempotency_key)).rejects.toThrow(/REFUND_NOT_PROCESSING/);
    });

    it('a refund failed at the bank (control route) sends refund.failed and gives the money back to the transaction', async () => {
      const ref = unique('SLOW');
      await sim.createTransaction({ ref, amount_minor: 1000, currency: 'CNY' });
      const request = refundBody(ref, 1000);
      await call('POST', '/v1/refunds', request);
      expect((await call('GET', `/v1/transactions/${ref}`)).body.refunded_minor).toBe(1000);
      await sim.failRefund(request.idempotency_key, 'card_closed');
      const [callback] = await waitFor('refund.failed', async () => (engine.forKey(request.idempotency_key).length ? engine.forKey(request.idempotency_key) : null));
      expect(callback!.event).toMatchObject({ type: 'refund.failed', data: { idempotency_key: request.idempotency_key, amount_minor: 1000, failure_reason: 'card_closed' } });
      expect((await call('GET', `/v1/transactions/${ref}`)).body.refunded_minor).toBe(0);
    });

    it('DUPCB-: sends the same callback twice; LOSTCB-: settles without a callback', async () => {
      const duplicated = refundBody(unique('DUPCB'), 100);
      const lost = refundBody(unique('LOSTCB'), 100);
      await call('POST', '/v1/refunds', duplicated);
      await call('POST', '/v1/refunds', lost);
      const copies = await waitFor('two deliveries of the DUPCB- callback', async () =>
        engine.forKey(duplicated.idempotency_key).length >= 2 ? engine.forKey(duplicated.idempotency_key) : null,
      );
      expect(copies.map((r) => r.event.id)).toEqual([copies[0]!.event.id, copies[0]!.event.id]);
      expect(copies[0]!.body).toBe(copies[1]!.body);

      await waitFor('the LOSTCB- refund to settle', async () => (await call('GET', `/v1/refunds/${lost.idempotency_key}`)).body.status === 'succeeded');
      // Both settled in the same pass; the duplicate's callbacks went out, the lost one has none queued.
      expect(engine.forKey(lost.idempotency_key)).toEqual([]);
      expect((await sim.callbacks()).filter((callback) => callback.event.data.idempotency_key === lost.idempotency_key)).toEqual([]);
    });

    it('lists refunds by creation time, page by page with a cursor', async () => {
      const from = new Date(Date.now() - 1000).toISOString();
      const ref = unique();
      const keys = [];
      for (let i = 0; i < 3; i += 1) {
        const request = refundBody(ref, 10 + i);
        keys.push(request.idempotency_key);
        await call('POST', '/v1/refunds', request);
      }
      const to = new Date(Date.now() + 1000).toISOString();
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `/v1/refunds?created_from=${encodeURIComponent(from)}&created_to=${encodeURIComponent(to)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await call('GET', query);
        expect(page.status).toBe(200);
        expect(page.body.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.data.map((refund: { idempotency_key: string }) => refund.idempotency_key));
        cursor = page.body.next_cursor;
      } while (cursor);
      expect(seen).toEqual(expect.arrayContaining(keys));
      expect(new Set(seen).size).toBe(seen.length);
      expect(await call('GET', '/v1/refunds?created_from=yesterday')).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    });
  });

  describe('account actions', () => {
    const action = (reason = 'stolen phone reported') => ({ idempotency_key: `ak_${randomBytes(6).toString('hex')}`, reason });

    it('freezes with a delayed account.frozen callback; the same key is the same action, another body 409', async () => {
      const accountId = `u_${randomBytes(4).toString('hex')}`;
      const request = action();
      const accepted = await call('POST', `/v1/accounts/${accountId}/freeze`, request);
      expect(accepted).toMatchObject({
        status: 202,
        body: { action_id: expect.stringMatching(/^act_/), idempotency_key: request.idempotency_key, account_id: accountId, kind: 'freeze', status: 'processing' },
      });
      const again = await call('POST', `/v1/accounts/${accountId}/freeze`, request);
      expect(again.body.action_id).toBe(accepted.body.action_id);
      expect(await call('POST', `/v1/accounts/${accountId}/freeze`, { ...request, reason: 'other' })).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
      expect(await call('POST', `/v1/accounts/${accountId}/unfreeze`, request)).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });

      const [callback] = await waitFor('account.frozen', async () => (engine.forKey(request.idempotency_key).length ? engine.forKey(request.idempotency_key) : null));
      expect(callback!.event).toMatchObject({
        type: 'account.frozen',
        data: { action_id: accepted.body.action_id, idempotency_key: request.idempotency_key, account_id: accountId },
      });
      expect(engine.forKey(request.idempotency_key)).toHaveLength(1);
      const unfreeze = action('identity verified');
      await call('POST', `/v1/accounts/${accountId}/unfreeze`, unfreeze);
      const [unfrozen] = await waitFor('account.unfrozen', async () => (engine.forKey(unfreeze.idempotency_key).length ? engine.forKey(unfreeze.idempotency_key) : null));
      expect(unfrozen!.event.type).toBe('account.unfrozen');
    });

    it('resets credentials (and revokes sessions) and posts a balance correction, each with its callback', async () => {
      const accountId = `u_${randomBytes(4).toString('hex')}`;
      const reset = action('account taken over');
      const correction = { ...action('double charge'), amount_minor: 1999, currency: 'CNY', direction: 'credit' };
      await call('POST', `/v1/accounts/${accountId}/credential-resets`, reset);
      await call('POST', `/v1/accounts/${accountId}/balance-corrections`, correction);
      const [resetDone] = await waitFor('account.credentials_reset', async () => (engine.forKey(reset.idempotency_key).length ? engine.forKey(reset.idempotency_key) : null));
      expect(resetDone!.event.type).toBe('account.credentials_reset');
      const [posted] = await waitFor('balance.correction_posted', async () =>
        engine.forKey(correction.idempotency_key).length ? engine.forKey(correction.idempotency_key) : null,
      );
      expect(posted!.event).toMatchObject({
        type: 'balance.correction_posted',
        data: { account_id: accountId, amount_minor: 1999, currency: 'CNY', direction: 'credit', ledger_entry_ref: expect.stringMatching(/^le_/) },
      });
      expect(await sim.account(accountId)).toMatchObject({
        credential_resets: 1,
        sessions_revoked_at: expect.any(String),
        ledger_entries: [{ amount_minor: 1999, currency: 'CNY' }],
      });
      expect(await call('POST', `/v1/accounts/${accountId}/balance-corrections`, { ...action(), amount_minor: 0, currency: 'CNY', direction: 'credit' })).toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED' },
      });
    });

    it('an account whose id starts LOSTCB- is acted on without a callback', async () => {
      const accountId = `LOSTCB-${randomBytes(4).toString('hex')}`;
      const lost = action();
      const seen = action();
      await call('POST', `/v1/accounts/${accountId}/freeze`, lost);
      await call('POST', `/v1/accounts/u_${randomBytes(4).toString('hex')}/freeze`, seen);
      await waitFor('the other freeze to call back', async () => engine.forKey(seen.idempotency_key).length > 0);
      await waitFor('the LOSTCB- account to be frozen', async () => (await sim.account(accountId))?.frozen === true);
      expect(engine.forKey(lost.idempotency_key)).toEqual([]);
    });

    it('lists an account’s pending transactions; one settles through the control route', async () => {
      const accountId = `u_${randomBytes(4).toString('hex')}`;
      const [first, second] = [unique('PEND'), unique('PEND')];
      await sim.seedPendingTransaction(accountId, { ref: first, amount_minor: 700, currency: 'CNY' });
      await sim.seedPendingTransaction(accountId, { ref: second, amount_minor: 300, currency: 'CNY' });
      expect((await call('GET', `/v1/accounts/${accountId}/pending-transactions`)).body.data).toEqual([
        { ref: first, amount_minor: 700, currency: 'CNY', status: 'pending', created_at: expect.any(String) },
        { ref: second, amount_minor: 300, currency: 'CNY', status: 'pending', created_at: expect.any(String) },
      ]);
      await sim.settlePendingTransaction(first);
      expect((await call('GET', `/v1/accounts/${accountId}/pending-transactions`)).body.data.map((item: { status: string }) => item.status)).toEqual(['settled', 'pending']);
      expect((await call('GET', '/v1/accounts/u_nobody/pending-transactions')).body).toEqual({ data: [] });
    });
  });

  describe('notifications', () => {
    it('records a notification once per key; another body under the key is 409; an SMS needs a phone', async () => {
      const request = {
        idempotency_key: `nk_${randomBytes(6).toString('hex')}`,
        channel: 'push',
        user_id: 'u_42',
        locale: 'zh-CN',
        title: '退款已到账',
        body: '您的退款 ¥12.00 已退回余额。',
      };
      const first = await call('POST', '/v1/notifications', request);
      const again = await call('POST', '/v1/notifications', request);
      expect(first).toMatchObject({ status: 202, body: { notification_id: expect.stringMatching(/^ntf_/), status: 'accepted' } });
      expect(again.body.notification_id).toBe(first.body.notification_id);
      expect(await call('POST', '/v1/notifications', { ...request, body: 'other' })).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
      expect((await sim.notifications()).filter((n) => n.idempotency_key === request.idempotency_key)).toEqual([
        expect.objectContaining({ channel: 'push', user_id: 'u_42', locale: 'zh-CN', title: '退款已到账' }),
      ]);
      expect(await call('POST', '/v1/notifications', { ...request, idempotency_key: 'nk_sms', channel: 'sms' })).toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED' },
      });
    });
  });
});

describe('wallet simulator restarts', () => {
  it('keeps its ledger and callback URL, resumes a pending settlement and sends callbacks queued while it had no URL', async () => {
    const engine = await startEngineReceiver();
    const sim = await startWalletSim({ env: { SIM_SETTLEMENT_DELAY_MS: '2000' } });
    try {
      const call = walletClient(sim);
      // No callback URL yet: a settled refund's callback waits for one.
      const early = refundBody(unique(), 100);
      await call('POST', '/v1/refunds', early);
      await waitFor('the early refund to settle', async () => (await call('GET', `/v1/refunds/${early.idempotency_key}`)).body.status === 'succeeded');
      expect((await sim.callbacks()).map((callback) => callback.status)).toEqual(['pending']);
      await sim.setCallbackUrl(engine.baseUrl);
      await waitFor('the queued callback', async () => engine.forKey(early.idempotency_key).length > 0);

      // Settlement due in 2 s; the simulator stops before it and must settle after booting again.
      const pending = refundBody(unique(), 200);
      const created = await call('POST', '/v1/refunds', pending);
      expect(created.body.status).toBe('processing');
      await sim.restart();

      const [callback] = await waitFor('refund.succeeded after the restart', async () =>
        engine.forKey(pending.idempotency_key).length ? engine.forKey(pending.idempotency_key) : null,
      );
      expect(callback!.event.data.refund_id).toBe(created.body.refund_id);
      const replay = await call('POST', '/v1/refunds', pending);
      expect(replay.body).toMatchObject({ refund_id: created.body.refund_id, status: 'succeeded' });
      expect((await call('GET', `/v1/refunds/${early.idempotency_key}`)).body.status).toBe('succeeded');
      expect(engine.forKey(early.idempotency_key)).toHaveLength(1);
    } finally {
      await sim.stop();
      await engine.close();
    }
  });
});
