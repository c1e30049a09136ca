/**
 * The WeChat official-account API as the engine uses it, run as a child process for the tests:
 * `GET /cgi-bin/token` (checks WECHAT_APP_ID / WECHAT_APP_SECRET, hands out a token),
 * `POST /cgi-bin/message/template/send?access_token=` (errcode 40001 for a token it did not hand
 * out or revoked, 43004 for openids starting with `oBLOCKED`, as for a user who does not follow
 * the account). Test controls: `POST /revoke-tokens`, `GET /received`. Prints `{"url": …}`.
 */
import { createServer } from 'node:http';

const appId = process.env.WECHAT_APP_ID;
const appSecret = process.env.WECHAT_APP_SECRET;
if (!appId || !appSecret) throw new Error('WECHAT_APP_ID and WECHAT_APP_SECRET are required');

let issued = 0;
const validTokens = new Set<string>();
const received: Array<{ touser: string; template_id: string; data: Record<string, { value: string }> }> = [];
let tokenRequests = 0;

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const answer = (body: unknown) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (request.method === 'GET' && url.pathname === '/received') return answer({ messages: received, tokenRequests });
    if (request.method === 'POST' && url.pathname === '/revoke-tokens') {
      validTokens.clear();
      return answer({ ok: true });
    }
    if (request.method === 'GET' && url.pathname === '/cgi-bin/token') {
      tokenRequests += 1;
      if (url.searchParams.get('appid') !== appId || url.searchParams.get('secret') !== appSecret) return answer({ errcode: 40125, errmsg: 'invalid appsecret' });
      const token = `token-${++issued}`;
      validTokens.add(token);
      return answer({ access_token: token, expires_in: 7200 });
    }
    if (request.method === 'POST' && url.pathname === '/cgi-bin/message/template/send') {
      if (!validTokens.has(url.searchParams.get('access_token') ?? '')) return answer({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as (typeof received)[number];
      if (body.touser.startsWith('oBLOCKED')) return answer({ errcode: 43004, errmsg: 'require subscribe' });
      received.push(body);
      return answer({ errcode: 0, errmsg: 'ok', msgid: received.length });
    }
    response.writeHead(404).end();
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
