import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@app/config';
import { HttpWalletAdapter } from './http-wallet.adapter';
import { verifyWalletRequest } from './signing';
import { WalletCallError } from './wallet.port';

const API_SECRET = 'adapter-spec-api-secret-0001';

/**
 * The adapter against a real socket: a tiny HTTP server that answers each request with the next
 * scripted reply, so retries, refusals, timeouts and the circuit breaker are seen on the wire.
 */
type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

describe('HttpWalletAdapter', () => {
  let server: Server;
  let baseUrl: string;
  let replies: Reply[];
  let seen: Array<{ method: string; url: string; body: string; signed: boolean }>;
  let adapters: HttpWalletAdapter[];
  const held: ServerResponse[] = [];

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const check = verifyWalletRequest(
          [API_SECRET],
          { timestamp: request.headers['x-wallet-timestamp'] as string, signature: request.headers['x-wallet-signature'] as string },
          { method: request.method!, pathWithQuery: request.url!, body },
          new Date(),
        );
        seen.push({ method: request.method!, url: request.url!, body, signed: check.ok });
        const reply = replies.shift() ?? { status: 500, body: { code: 'NO_SCRIPTED_REPLY', message: 'none left' } };
        if (reply === 'hang') return void held.push(response);
        response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        response.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const response of held) response.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    replies = [];
    seen = [];
    adapters = [];
  });
  afterEach(() => adapters.forEach((adapter) => adapter.onModuleDestroy()));

  const adapterFor = (env: Record<string, string> = {}, url = baseUrl) => {
    const config = loadConfig({
      NODE_ENV: 'test',
      WALLET_BASE_URL: url,
      WALLET_API_SECRET: API_SECRET,
      // Long enough that a loaded machine answers in time; the hang tests wait it out (2 s each).
      WALLET_TIMEOUT_MS: '2000',
      WALLET_RETRY_DELAY_MS: '1',
      WALLET_MAX_RETRIES: '2',
      ...env,
    });
    const adapter = new HttpWalletAdapter(config);
    adapters.push(adapter);
    return adapter;
  };
  const refund = {
    refund_id: 'rf_1',
    idempotency_key: 'k-1',
    transaction_ref: 'TX-1',
    amount_minor: 500,
    currency: 'CNY',
    status: 'processing',
    splits: [{ type: 'bank_card', account_ref: '6222****1234', amount_minor: 500 }],
    expected_arrival_at: '2026-12-06T10:00:00Z',
    failure_reason: null,
    settled_at: null,
    created_at: '2026-12-03T10:00:00Z',
  };
  const refundRequest = { idempotencyKey: 'k-1', transactionRef: ' tx-1 ', amountMinor: 500, currency: 'CNY', reason: 'dispute' };
  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (error: unknown) => error as WalletCallError,
    );

  it('signs requests, sends snake_case with the reference normalised, and maps the answer', async () => {
    replies = [{ status: 200, body: refund }];
    const answer = await adapterFor().requestRefund(refundRequest);
    expect(seen).toEqual([{ method: 'POST', url: '/v1/refunds', body: expect.any(String), signed: true }]);
    expect(JSON.parse(seen[0]!.body)).toEqual({ idempotency_key: 'k-1', transaction_ref: 'TX-1', amount_minor: 500, currency: 'CNY', reason: 'dispute' });
    expect(answer).toMatchObject({
      refundId: 'rf_1',
      status: 'processing',
      expectedArrivalAt: new Date('2026-12-06T10:00:00Z'),
      splits: [{ type: 'bank_card', accountRef: '6222****1234', amountMinor: 500 }],
    });
  });

  it('retries 5xx and 429 (honouring Retry-After), then answers', async () => {
    replies = [
      { status: 503, body: { code: 'WALLET_BUSY', message: 'busy' } },
      { status: 429, headers: { 'retry-after': '0' }, body: { code: 'RATE_LIMITED', message: 'slow down' } },
      { status: 200, body: refund },
    ];
    await expect(adapterFor().findRefund('k-1')).resolves.toMatchObject({ refundId: 'rf_1' });
    expect(seen).toHaveLength(3);
  });

  it('gives up after WALLET_MAX_RETRIES as unavailable', async () => {
    replies = [{ status: 502 }, { status: 502 }, { status: 502 }, { status: 200, body: refund }];
    const error = await failureOf(adapterFor().findRefund('k-1'));
    expect(error).toMatchObject({ kind: 'unavailable', code: 'HTTP_502' });
    expect(seen).toHaveLength(3);
  });

  it('a refusal with a code is rejected at once; a not-found answers null', async () => {
    replies = [{ status: 422, body: { code: 'REFUND_EXCEEDS_TRANSACTION', message: 'too much' } }];
    expect(await failureOf(adapterFor().requestRefund(refundRequest))).toMatchObject({ kind: 'rejected', code: 'REFUND_EXCEEDS_TRANSACTION' });
    expect(seen).toHaveLength(1);
    replies = [{ status: 404, body: { code: 'REFUND_NOT_FOUND', message: 'none' } }];
    await expect(adapterFor().findRefund('k-2')).resolves.toBeNull();
  });

  it('a write that times out is ambiguous and is not repeated; a read that times out is retried', async () => {
    replies = ['hang', { status: 200, body: refund }];
    expect(await failureOf(adapterFor().requestRefund(refundRequest))).toMatchObject({ kind: 'ambiguous', code: 'WALLET_TIMEOUT' });
    expect(seen).toHaveLength(1);
    seen = [];
    replies = ['hang', { status: 200, body: refund }];
    await expect(adapterFor().findRefund('k-1')).resolves.toMatchObject({ refundId: 'rf_1' });
    expect(seen).toHaveLength(2);
  });

  it('a refused connection is unavailable (nothing was sent)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await failureOf(adapterFor({}, deadUrl).requestRefund(refundRequest))).toMatchObject({ kind: 'unavailable', code: 'WALLET_UNREACHABLE' });
  });

  it('the circuit opens after repeated failures and then fails fast without calling; refusals do not open it', async () => {
    const breakerEnv = { WALLET_MAX_RETRIES: '0', WALLET_BREAKER_VOLUME_THRESHOLD: '3', WALLET_BREAKER_RESET_MS: '60000' };
    const refused = adapterFor(breakerEnv);
    replies = Array.from({ length: 5 }, () => ({ status: 422, body: { code: 'CURRENCY_MISMATCH', message: 'no' } }));
    for (let i = 0; i < 5; i++) await failureOf(refused.requestRefund(refundRequest));
    expect(refused.breaker.opened).toBe(false);

    const adapter = adapterFor(breakerEnv);
    replies = Array.from({ length: 3 }, () => ({ status: 500 }));
    for (let i = 0; i < 3; i++) await failureOf(adapter.findRefund('k-1'));
    expect(adapter.breaker.opened).toBe(true);
    seen = [];
    replies = [{ status: 200, body: refund }];
    expect(await failureOf(adapter.findRefund('k-1'))).toMatchObject({ kind: 'unavailable', code: 'CIRCUIT_OPEN' });
    expect(seen).toEqual([]);
  });
});
