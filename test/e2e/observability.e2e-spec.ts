import { randomBytes } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { QUEUES, jobIds } from '@app/queues';
import { startAppProcess, type AppProcess, type LogLine } from '../support/app-process';
import { startOtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { TEST_PASSWORD, disputeBody, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver } from '../support/webhook-receiver';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SPAN_KIND = { server: 2, consumer: 5 };
const newId = (what: string) => `${what}-${randomBytes(6).toString('hex')}`;
/** The database a span talks to, by the old semantic conventions or the stable ones. */
const dbOf = (span: ReceivedSpan) => span.attributes['db.system'] ?? span.attributes['db.system.name'];

/**
 * The API and the worker as production runs them (their main.ts, each its own process, sharing a
 * database and Redis), with tracing on and exporting to a collector of the test's own: what one
 * request caused is found by its id in the answer, the outbox, the jobs and both processes' log
 * lines, and by one trace from the API into the worker.
 */
describe('request ids, log lines and traces from the API through the worker', () => {
  let t: TestApp;
  let collector: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let webhooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let api: AppProcess;
  let worker: AppProcess;
  let http: ReturnType<typeof request>;
  let auth: string;
  let token: string;

  beforeAll(async () => {
    // A job per outbox row (no notification batches): the test reads the forward's effect job by its id.
    // DEADLINE_JOB_HORIZON_MS of 30 days: the merchant's seven-day window gets its job from the
    // command that opens it (not from a reconciler pass), so that job carries the command's request id.
    t = await startTestApp({ RUN_WORKERS_IN_PROCESS: 'false', EFFECT_BATCH_WINDOW_MS: '0', DEADLINE_JOB_HORIZON_MS: String(30 * 24 * 3600_000) });
    collector = await startOtlpReceiver();
    webhooks = await startWebhookReceiver();
    const env = {
      ...t.env,
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // Export within 100 ms rather than the default 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '100',
    };
    worker = startAppProcess('apps/worker/src/main.ts', { ...env, WORKER_PROBE_PORT: '0' });
    api = startAppProcess('apps/api/src/main.ts', { ...env, HOST: '127.0.0.1', PORT: '0' });
    const listening = await api.waitForLine('the API process to listen', (line) => String(line.msg).startsWith('listening on '), 90_000);
    http = request(/http:\/\/[\d.]+:\d+/.exec(String(listening.msg))![0]);
    await worker.waitForLine('the worker process to start', (line) => String(line.msg).startsWith('processing deadlines'), 90_000);
    token = (await http.post('/v1/auth/login').send({ email: 'admin@test.local', password: TEST_PASSWORD }).expect(200)).body.token;
    auth = `Bearer ${token}`;
  }, 150_000);

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await collector?.close();
    await webhooks?.close();
    await t?.close();
  });

  it('names every request: a safe X-Request-Id of the caller, else a new UUID; the answer says which, error bodies too', async () => {
    const named = await http.get('/v1/cases?limit=1').set('Authorization', auth).set('X-Request-Id', 'gw:01HV6Z/req.1').expect(200);
    expect(named.headers['x-request-id']).toBe('gw:01HV6Z/req.1');
    expect((await http.get('/v1/cases?limit=1').set('Authorization', auth).expect(200)).headers['x-request-id']).toMatch(UUID);
    for (const unsafe of ['two words', 'x'.repeat(129), 'quote"d', '<b>']) {
      const answer = await http.get('/v1/cases?limit=1').set('Authorization', auth).set('X-Request-Id', unsafe).expect(200);
      expect(answer.headers['x-request-id']).toMatch(UUID);
    }

    // Refusals from every layer: validation (the exception filter), the body parser, the session guard, no route.
    const refusals = [
      await http.post('/v1/cases').set('Authorization', auth).set('X-Request-Id', 'bad-input').send({ kind: 'dispute' }).expect(400),
      await http.post('/v1/cases').set('Authorization', auth).set('X-Request-Id', 'bad-json').set('Content-Type', 'application/json').send('{"kind":').expect(400),
      await http.get('/v1/cases').set('X-Request-Id', 'no-session').expect(401),
      await http.get('/v1/no-such-route').set('Authorization', auth).set('X-Request-Id', 'no-route').expect(404),
    ];
    expect(refusals.map((answer) => [answer.body.code, answer.body.requestId, answer.headers['x-request-id']])).toEqual([
      ['VALIDATION_FAILED', 'bad-input', 'bad-input'],
      ['MALFORMED_JSON', 'bad-json', 'bad-json'],
      ['UNAUTHENTICATED', 'no-session', 'no-session'],
      ['NOT_FOUND', 'no-route', 'no-route'],
    ]);
    // Each has its line, the refused body's too: it names the route the body was sent to (the
    // server routes a request before it reads the body), and no route is `unmatched`.
    const line = (requestId: string) => api.waitForLine(`the line of ${requestId}`, (candidate) => candidate.requestId === requestId && candidate.msg === 'request completed');
    expect(await line('bad-json')).toMatchObject({ level: 'info', method: 'POST', route: '/v1/cases', status: 400 });
    expect(await line('no-route')).toMatchObject({ level: 'info', method: 'GET', route: 'unmatched', status: 404 });
    expect(await line('no-session')).toMatchObject({ method: 'GET', route: '/v1/cases', status: 401 });
    expect(await line('no-session')).not.toHaveProperty('actor');
  });

  it('carries one id from the request to its outbox rows, its jobs and the lines both processes write for them', async () => {
    await http
      .post('/v1/merchant/webhook-endpoints')
      .set('Authorization', t.defaultMerchant.auth)
      .send({ url: webhooks.url, events: ['dispute.awaiting_merchant'] })
      .expect(200);
    const [opening, forwarding] = [newId('open'), newId('forward')];
    const opened = await http.post('/v1/cases').set('Authorization', auth).set('X-Request-Id', opening).send(disputeBody()).expect(201);
    const caseId = opened.body.id as string;
    const forwarded = await http
      .post(`/v1/cases/${caseId}/events`)
      .set('Authorization', auth)
      .set('X-Request-Id', forwarding)
      .send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 })
      .expect(200);
    expect(forwarded.headers['x-request-id']).toBe(forwarding);

    // Every outbox row names the request that wrote it.
    const rows = await t.sql<{ id: string; request_id: string; topic: string }>(`select id, request_id, payload->>'topic' as topic from outbox where case_id = $1`, [caseId]);
    expect(rows.find((row) => row.topic === 'case.opened')?.request_id).toBe(opening);
    const toMerchant = rows.find((row) => row.topic === 'dispute.awaiting_merchant');
    expect(toMerchant?.request_id).toBe(forwarding);
    expect(rows.every((row) => row.request_id === opening || row.request_id === forwarding)).toBe(true);

    // So does the data of every job it caused: the effect, the merchant's deadline, the webhook delivery.
    const queue = (name: string) => t.app.get<Queue>(getQueueToken(name));
    expect((await queue(QUEUES.effects).getJob(jobIds.effect(toMerchant!.id)))?.data).toMatchObject({ outboxId: toMerchant!.id, requestId: forwarding });
    const [window] = await t.sql<{ id: string }>(`select id from deadlines where case_id = $1 and name = 'merchantResponseWindow' and status = 'pending'`, [caseId]);
    expect((await queue(QUEUES.deadlines).getJob(jobIds.deadline(window!.id)))?.data).toMatchObject({ deadlineId: window!.id, requestId: forwarding });

    // The worker's lines for those jobs carry it, down to the webhook the effect scheduled.
    const effectLine = await worker.waitForLine('the worker to run the effect', (line) => line.requestId === forwarding && line.msg === 'effect.run done');
    expect(effectLine).toMatchObject({
      level: 'info',
      service: 'worker',
      queue: 'effects',
      job: 'effect.run',
      jobId: jobIds.effect(toMerchant!.id),
      outcome: 'done',
      durationMs: expect.any(Number),
    });
    const webhookLine = await worker.waitForLine('the worker to deliver the webhook', (line) => line.requestId === forwarding && line.msg === 'webhook.deliver done');
    expect(webhookLine).toMatchObject({ queue: 'webhooks', outcome: expect.any(String) });
    await waitFor('the merchant to receive the event', async () => webhooks.accepted().find((hook) => hook.event.data.object.id === caseId));
    await worker.waitForLine("the opening request's effects to run under its own id", (line) => line.requestId === opening && line.msg === 'effect.run done');

    // The API's line for the request itself: what was asked, by whom, how it went.
    const requestLine = await api.waitForLine("the API's line for the request", (line) => line.requestId === forwarding && line.msg === 'request completed');
    expect(requestLine).toEqual({
      level: 'info',
      time: expect.any(String),
      service: 'api',
      requestId: forwarding,
      msg: 'request completed',
      method: 'POST',
      route: '/v1/cases/:id/events',
      status: 200,
      durationMs: expect.any(Number),
      actor: { kind: 'agent', id: t.adminId },
    });
    const merchantLine = api.lines.find((line: LogLine) => line.route === '/v1/merchant/webhook-endpoints');
    expect(merchantLine).toMatchObject({ status: 200, actor: { kind: 'merchant', id: t.defaultMerchant.id } });

    // Nothing either process wrote holds a credential or the customer's name.
    const written = JSON.stringify([...api.lines, ...worker.lines, ...api.other, ...worker.other]);
    for (const secret of [token, t.defaultMerchant.auth.slice('Bearer '.length), String(disputeBody().customer.name)]) expect(written).not.toContain(secret);
    expect(api.other).toEqual([]);
    expect(worker.other).toEqual([]);
  });

  it('traces a request from the API through its job into the worker as one trace', async () => {
    const requestId = newId('traced');
    await http
      .post('/v1/cases')
      .set('Authorization', auth)
      .set('X-Request-Id', requestId)
      .send({ kind: 'inquiry', channel: 'weibo', subject: 'Where is my refund?', customer: { id: 'u_traced' } })
      .expect(201);

    const served = await waitFor("the API's span for the request", async () =>
      collector.spans.find((span) => span.service === 'dispute-engine-api' && span.kind === SPAN_KIND.server && span.attributes['app.request_id'] === requestId),
    );
    expect(served).toMatchObject({ name: 'POST /v1/cases', attributes: { 'http.route': '/v1/cases' } });
    const processed = await waitFor("the worker's span for the job the request caused", async () =>
      collector.spans.find((span) => span.service === 'dispute-engine-worker' && span.kind === SPAN_KIND.consumer && span.attributes['app.request_id'] === requestId),
    );
    expect(processed).toMatchObject({ name: 'effects process', traceId: served.traceId, attributes: { 'messaging.destination.name': 'effects' } });
    expect(processed.parentSpanId).toBeDefined();
    // Inside each, what the process did: the API's queries and Redis commands, the worker's queries.
    const inTrace = await waitFor('the spans inside the trace', async () => {
      const spans = collector.spans.filter((span) => span.traceId === served.traceId);
      return spans.some((span) => span.service === 'dispute-engine-worker' && span.parentSpanId === processed.spanId && dbOf(span) === 'postgresql') ? spans : undefined;
    });
    expect(inTrace.some((span) => span.service === 'dispute-engine-api' && dbOf(span) === 'postgresql')).toBe(true);
    expect(inTrace.some((span) => span.service === 'dispute-engine-api' && dbOf(span) === 'redis')).toBe(true);
  });

  it('writes nothing on stderr: no deprecation or other warning from Node or a library, through everything the tests above sent', () => {
    // Node and the libraries warn there (Fastify's deprecations, once at every start): a warning
    // nobody reads is a break waiting for the next major version.
    expect(api.stderr).toEqual([]);
    expect(worker.stderr).toEqual([]);
  });
});
