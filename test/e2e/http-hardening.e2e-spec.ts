import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const key = () => randomBytes(32).toString('base64');

describe('HTTP hardening with the development defaults', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false', METRICS_TOKEN: 'metrics-token-for-the-test-0123456789', HTTP_KEEP_ALIVE_SECONDS: '8' });
  });
  afterAll(() => t.close());

  it('keeps an idle keep-alive connection open for HTTP_KEEP_ALIVE_SECONDS (Node alone closes it after 5 s)', async () => {
    const { port } = (t.app.getHttpServer() as Server).address() as AddressInfo;
    const socket: Socket = connect(port, '127.0.0.1');
    let received = '';
    let closedAt: number | undefined;
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('close', () => (closedAt = Date.now()));
    const answers = () => received.match(/HTTP\/1\.1 200 /g)?.length ?? 0;
    const ask = () => socket.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    try {
      ask();
      await waitFor('the first answer', async () => answers() === 1);
      await new Promise((resolve) => setTimeout(resolve, 6_000)); // past Node's own 5 s
      expect(closedAt).toBeUndefined();
      ask();
      await waitFor('the second answer on the same connection', async () => answers() === 2);
    } finally {
      socket.destroy();
    }
  }, 30_000);

  it('answers with security headers and without X-Powered-By, per surface', async () => {
    const api = await t.http.get('/v1/auth/me').expect(401);
    expect(api.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect(api.headers['x-frame-options']).toBe('DENY');
    expect(api.headers['referrer-policy']).toBe('no-referrer');
    expect(api.headers['x-powered-by']).toBeUndefined();
    const docs = await t.http.get('/docs').expect(200);
    expect(docs.headers['content-security-policy']).toMatch(/^default-src 'self'; script-src 'self';.*frame-ancestors 'none'/);
    // The admin UI's policy applies under /admin even where nothing is built (a 404 here).
    const admin = await t.http.get('/admin/anything');
    // It frames nothing (PDF previews are drawn by pdf.js into canvases), and evaluates no strings or WebAssembly.
    expect(admin.headers['content-security-policy']).toMatch(/script-src 'self';.*worker-src 'self'; frame-src 'none';.*frame-ancestors 'none'/);
    expect(admin.headers['content-security-policy']).not.toMatch(/unsafe-eval/);
  });

  it("keeps no copy of the API's answers: no-store, and no ETag to revalidate against", async () => {
    const me = await t.http.get('/v1/auth/me').set('Authorization', t.auth).expect(200);
    expect(me.body.email).toBe('admin@test.local');
    expect(me.headers['cache-control']).toBe('no-store');
    expect(me.headers.etag).toBeUndefined();
    // A refusal too: it names the case the caller asked for.
    const missing = await t.http.get(`/v1/cases/${randomUUID()}`).set('Authorization', t.auth).expect(404);
    expect(missing.headers['cache-control']).toBe('no-store');
    // Even one the body parser sends, before any route: with the security headers of every answer.
    const malformed = await t.http.post('/v1/auth/login').set('Content-Type', 'application/json').send('{"email":').expect(400);
    expect(malformed.body.code).toBe('MALFORMED_JSON');
    expect(malformed.headers['cache-control']).toBe('no-store');
    expect(malformed.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    // Swagger UI's page and the admin UI's files are the same for everyone: their caching is their own.
    const docs = await t.http.get('/docs').set('Authorization', t.auth).expect(200);
    expect(docs.headers['cache-control'] ?? '').not.toMatch(/no-store/);
  });

  it("a URL the server cannot decode gets the API's error body, its request id and the security headers", async () => {
    const answer = await t.http.get('/v1/cases/%E0%A4%A').set('Authorization', t.auth).set('X-Request-Id', 'bad-url').expect(400);
    expect(answer.body).toEqual({ code: 'BAD_REQUEST', message: expect.any(String), requestId: 'bad-url' });
    expect(answer.headers['x-request-id']).toBe('bad-url');
    expect(answer.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    expect(answer.headers['cache-control']).toBe('no-store');
    // A path parameter longer than any id (100 characters) is refused before any route, the same way.
    const long = await t.http
      .get(`/v1/cases/${'a'.repeat(101)}`)
      .set('Authorization', t.auth)
      .set('X-Request-Id', 'long-param')
      .expect(414);
    expect(long.body).toEqual({ code: 'URI_TOO_LONG', message: expect.any(String), requestId: 'long-param' });
    expect(long.headers['x-request-id']).toBe('long-param');
  });

  it('/metrics needs the metrics token when one is set', async () => {
    expect((await t.http.get('/metrics').expect(401)).body.code).toBe('UNAUTHENTICATED');
    await t.http.get('/metrics').set('Authorization', 'Bearer metrics-token-for-the-test-0123456789-wrong').expect(401);
    const metrics = await t.http.get('/metrics').set('Authorization', 'Bearer metrics-token-for-the-test-0123456789').expect(200);
    expect(metrics.text).toMatch(/^deadlines_pending \d+$/m);
  });

  it('a refused webhook host is not told what our DNS answered', async () => {
    const merchant = await t.createMerchant();
    const refused = await t.http
      .post('/v1/merchant/webhook-endpoints')
      .set('Authorization', merchant.auth)
      .send({ url: 'http://localhost:9/hook', events: ['*'] })
      .expect(400);
    expect(refused.body.code).toBe('WEBHOOK_TARGET_REFUSED');
    expect(JSON.stringify(refused.body)).not.toMatch(/127\.0\.0\.1|::1|loopback/);
    expect(refused.body.addressClass).toBeUndefined();
    // A literal address is the caller's own: it is named, with its class.
    const literal = await t.http
      .post('/v1/merchant/webhook-endpoints')
      .set('Authorization', merchant.auth)
      .send({ url: 'http://[fec0::1]/hook', events: ['*'] })
      .expect(400);
    expect(literal.body.addressClass).toBe('private');
    expect((await t.sql(`select count(*)::int as n from webhook_endpoints`))[0]).toEqual({ n: 0 });
  });
});

describe('HTTP hardening with production security defaults', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Production security, but without two-factor login so the test's own admin session works.
    t = await startTestApp({
      NODE_ENV: 'production',
      WEBHOOK_SECRET_KEYS: key(),
      TOTP_SECRET_KEYS: key(),
      CUSTOMER_TOKEN_SECRETS: key(),
      PII_KEYS: key(),
      TOTP_REQUIRED_ROLES: '',
      // Production refuses the test apps' cheapest password hashing: OWASP's floor is the least it takes.
      PASSWORD_HASH_MEMORY_KIB: '19456',
      PASSWORD_HASH_ITERATIONS: '2',
    });
  });
  afterAll(() => t.close());

  it('the session cookie is a Secure, host-only __Host- cookie for path / that the API accepts', async () => {
    const login = await t.http.post('/v1/auth/login').send({ email: 'admin@test.local', password: TEST_PASSWORD }).expect(200);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/^__Host-sid=[^;]+; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$/);
    expect(cookie).not.toMatch(/Domain=/i);
    const sid = cookie.split(';')[0]!;
    await t.http.get('/v1/auth/me').set('Cookie', sid).expect(200);
    expect(login.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('/metrics is closed without a token, /docs needs an agent session', async () => {
    expect((await t.http.get('/metrics').expect(403)).body.message).toMatch(/METRICS_TOKEN/);
    expect((await t.http.get('/docs-json').expect(401)).body.code).toBe('UNAUTHENTICATED');
    await t.http.get('/docs').expect(401);
    const agent = await t.login('reader@test.local', 'agent');
    const docs = await t.http.get('/docs-json').set('Authorization', agent.auth).expect(200);
    expect(docs.body.paths['/v1/cases']).toBeDefined();
  });

  it('webhook endpoints must be https', async () => {
    const merchant = await t.createMerchant();
    const refused = await t.http
      .post('/v1/merchant/webhook-endpoints')
      .set('Authorization', merchant.auth)
      .send({ url: 'http://127.0.0.1:9/hook', events: ['*'] })
      .expect(400);
    expect(refused.body.message).toMatch(/https/);
  });
});
