/**
 * The wallet's notification service as the engine sees it (`POST /v1/notifications`, contract
 * v1), run as a child process for the tests: it verifies every request's signature with
 * WALLET_API_SECRET (401 INVALID_SIGNATURE / STALE_SIGNATURE), keeps one notification per
 * idempotency key (a repeat gets the same id and is not sent again), and refuses users whose id
 * starts with `u_unknown` (422 UNKNOWN_USER). `GET /received` lists what was accepted, with
 * `requests` counting every signed attempt per key. Prints `{"url": …}` once listening.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { verifyWalletRequest } from '@app/wallet';

const secret = process.env.WALLET_API_SECRET;
if (!secret) throw new Error('WALLET_API_SECRET is required');

interface Accepted {
  notification_id: string;
  idempotency_key: string;
  channel: string;
  user_id: string;
  phone?: string;
  locale: string;
  title: string;
  body: string;
  requests: number;
  rejectedSignatures?: number;
}
const byKey = new Map<string, Accepted>();
let badSignatures = 0;

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8');
    const answer = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (request.method === 'GET' && request.url === '/received') return answer(200, { notifications: [...byKey.values()], badSignatures });
    if (request.method !== 'POST' || request.url !== '/v1/notifications') return answer(404, { code: 'NOT_FOUND', message: 'no such route' });
    const check = verifyWalletRequest(
      [secret],
      { timestamp: request.headers['x-wallet-timestamp'] as string | undefined, signature: request.headers['x-wallet-signature'] as string | undefined },
      { method: 'POST', pathWithQuery: request.url, body: raw },
      new Date(),
    );
    if (!check.ok) {
      badSignatures += 1;
      return answer(401, { code: check.code, message: check.message });
    }
    const body = JSON.parse(raw) as Omit<Accepted, 'notification_id' | 'requests'>;
    if (body.user_id.startsWith('u_unknown')) return answer(422, { code: 'UNKNOWN_USER', message: `no wallet user ${body.user_id}` });
    const existing = byKey.get(body.idempotency_key);
    if (existing) {
      existing.requests += 1;
      return answer(202, { notification_id: existing.notification_id, status: 'accepted' });
    }
    const accepted: Accepted = { ...body, notification_id: `ntf_${randomUUID()}`, requests: 1 };
    byKey.set(body.idempotency_key, accepted);
    return answer(202, { notification_id: accepted.notification_id, status: 'accepted' });
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
