import type { ChildProcess } from 'node:child_process';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue, Worker } from 'bullmq';
import { PeriodicTask, type AppConfig } from '@app/config';
import { BullWorkers } from '@app/ops';
import { Reconciler } from '@app/workers';
import { QUEUES, jobIds } from '@app/queues';
import { startWorker, type WorkerProcess } from '../../apps/worker/src/bootstrap';
import { freePort, startRedis, stopRedis } from '../support/redis-server';
import { disputeBody, startTestApp, type TestApp, type TestMerchant } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/** A merchant endpoint that holds every request open until the test releases them. */
async function startHoldingReceiver() {
  const held: ServerResponse[] = [];
  let answering = false;
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => (answering ? response.writeHead(200).end('ok') : held.push(response)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    held,
    /** Answers the held requests, and every later one at once. */
    release() {
      answering = true;
      for (const response of held.splice(0)) response.writeHead(200).end('ok');
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The worker as its own process runs it (apps/worker's startWorker: its Nest app and its probe
 * server), beside an API that runs no workers, as docker-compose deploys them.
 */
describe('the worker process: probes, job metrics, overdue work, graceful shutdown', () => {
  let t: TestApp;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    // A job per outbox row (no notification batches): the shutdown test finds each row's job by its id.
    t = await startTestApp({ RUN_WORKERS_IN_PROCESS: 'false', DISPUTE_MERCHANT_RESPONSE_SECONDS: '2', WEBHOOK_TIMEOUT_MS: '60000', EFFECT_BATCH_WINDOW_MS: '0' });
  });
  afterAll(async () => {
    for (const worker of workers) await worker.shutdown();
    await t.close();
  });

  const startTestWorker = async (ops: Partial<AppConfig['ops']> = {}) => {
    const config: AppConfig = { ...t.config, ops: { ...t.config.ops, workerProbePort: 0, ...ops } };
    const worker = await startWorker(config, { log: { level: 'error' } });
    workers.push(worker);
    return worker;
  };
  const probe = (worker: WorkerProcess, path: string) => fetch(`http://127.0.0.1:${worker.probe.port}${path}`);
  const metricValue = (text: string, series: string) => {
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };
  const apiMetric = async (series: string) => metricValue((await t.http.get('/metrics').expect(200)).text, series);

  const openAndForward = async (merchantId = 'm_1') => {
    const { body } = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody({ merchantId })).expect(201);
    await t.http.post(`/v1/cases/${body.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
    return body.id as string;
  };
  const subscribe = async (m: TestMerchant, url: string) =>
    t.http
      .post('/v1/merchant/webhook-endpoints')
      .set('Authorization', m.auth)
      .send({ url, events: ['dispute.awaiting_merchant'] })
      .expect(200);

  it('overdue deadlines rise while no worker runs and fall once one does; its probes answer and its metrics count the jobs', async () => {
    const caseId = await openAndForward();
    // The merchant's window, as if it had been due three minutes ago with nothing firing it.
    const [window] = await t.sql<{ id: string }>(
      `update deadlines set due_at = now() - interval '3 minutes' where case_id = $1 and name = 'merchantResponseWindow' and status = 'pending' returning id`,
      [caseId],
    );
    expect(window).toBeDefined();
    expect(await apiMetric('deadlines_overdue{kind="machine"}')).toBe(1);

    const worker = await startTestWorker();
    expect(await (await probe(worker, '/health/live')).json()).toEqual({ status: 'ok' });
    const ready = await probe(worker, '/health/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', checks: { postgres: { status: 'up' }, redis: { status: 'up' }, migrations: { status: 'up' } } });

    await waitFor('the overdue deadline to fire', async () => (await apiMetric('deadlines_overdue{kind="machine"}')) === 0, 30_000);
    const [row] = await t.sql<{ status: string }>(`select status from deadlines where id = $1`, [window!.id]);
    expect(row!.status).toBe('fired');

    const text = await (await probe(worker, '/metrics')).text();
    expect(metricValue(text, 'worker_jobs_completed_total{queue="deadlines"}')).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, 'worker_jobs_completed_total{queue="effects"}')).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, 'worker_job_duration_seconds_count{queue="deadlines",outcome="completed"}')).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, 'worker_jobs_failed_total{queue="deadlines",final="true"}')).toBe(0);
    expect(metricValue(text, 'reconcile_last_success_timestamp_seconds')).toBeGreaterThan(0);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect((await probe(worker, '/nothing-here')).status).toBe(404);
    await worker.shutdown();
  });

  it('shutting down, it answers not ready, takes no new job and finishes the one it runs, within SHUTDOWN_GRACE_MS', async () => {
    const receiver = await startHoldingReceiver();
    try {
      const m = await t.createMerchant();
      await subscribe(m, receiver.url);
      const worker = await startTestWorker({ shutdownGraceMs: 60_000 });
      const held = await openAndForward(m.id);
      await waitFor('the webhook delivery to be in flight', async () => receiver.held.length === 1, 30_000);

      const stopping = worker.shutdown();
      const ready = await probe(worker, '/health/ready');
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'shutting_down' });
      expect((await probe(worker, '/health/live')).status).toBe(200);

      // Work that arrives now waits for another worker.
      const later = await openAndForward(m.id);
      receiver.release();
      expect(await stopping).toBe(0);

      const [delivery] = await t.sql<{ status: string }>(`select status from webhook_deliveries where case_id = $1`, [held]);
      expect(delivery!.status).toBe('succeeded');
      const untouched = await t.sql<{ id: string; status: string }>(`select id, status from outbox where case_id = $1`, [later]);
      expect(untouched.length).toBeGreaterThan(0);
      expect(untouched.every((row) => row.status === 'pending')).toBe(true);
      const effects = t.app.get<Queue>(getQueueToken(QUEUES.effects));
      for (const row of untouched) expect(await effects.getJobState(jobIds.effect(row.id))).toBe('waiting');
      await expect(probe(worker, '/health/live')).rejects.toThrow();
    } finally {
      await receiver.close();
    }
  });

  it('a job still running when SHUTDOWN_GRACE_MS is up is left (to be picked up again as stalled) and the worker stops anyway', async () => {
    const receiver = await startHoldingReceiver();
    try {
      const m = await t.createMerchant();
      await subscribe(m, receiver.url);
      const worker = await startTestWorker({ shutdownGraceMs: 300 });
      const caseId = await openAndForward(m.id);
      await waitFor('the webhook delivery to be in flight', async () => receiver.held.length === 1, 30_000);

      expect(await worker.shutdown()).toBeGreaterThanOrEqual(1);
      const [delivery] = await t.sql<{ id: string; status: string; generation: number; attempts: number }>(
        `select id, status, generation, attempts from webhook_deliveries where case_id = $1`,
        [caseId],
      );
      expect(delivery!.status).toBe('pending');
      const webhooks = t.app.get<Queue>(getQueueToken(QUEUES.webhooks));
      expect(await webhooks.getJobState(jobIds.webhook(delivery!.id, delivery!.generation, delivery!.attempts))).toBe('active');
    } finally {
      await receiver.close();
    }
  });
});

/** The ioredis status of a worker's blocking connection (BullMQ keeps it private). */
const blockingStatus = async (worker: Worker) => (await (worker as unknown as { blockingConnection: { client: Promise<{ status: string }> } }).blockingConnection.client).status;
/** Whether the reconciler's timer has a pass running now (PeriodicTask keeps it private). */
const reconcilePassRunning = (reconciler: Reconciler) => (reconciler as unknown as { task: { running?: Promise<void> } }).task.running !== undefined;

/**
 * Shutting down around a Redis outage, on a redis-server of this test's own. ioredis cannot
 * disconnect a client that waits between two reconnect attempts (it never ends it), and BullMQ's
 * pause and close wait for that end: a shutdown right after Redis came back used to hang.
 */
describe('the worker process: shutting down around a Redis outage', () => {
  let port: number;
  let redis: ChildProcess;
  let t: TestApp;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    t = await startTestApp({ RUN_WORKERS_IN_PROCESS: 'false', REDIS_PORT: String(port) });
  });
  beforeEach(async () => {
    if (redis.exitCode !== null) redis = await startRedis(port); // a test before left it stopped
  });
  afterAll(async () => {
    if (redis.exitCode !== null) redis = await startRedis(port); // closing the apps needs Redis
    await worker?.shutdown();
    await t?.close();
    await stopRedis(redis);
  });

  /** A worker whose blocking connections are up and whose first reconciler pass is done. */
  const startTestWorker = async (shutdownGraceMs: number, reconcileIntervalMs = 600_000) => {
    const config: AppConfig = {
      ...t.config,
      ops: { ...t.config.ops, workerProbePort: 0, shutdownGraceMs },
      workers: { ...t.config.workers, reconcileIntervalMs },
    };
    const started = await startWorker(config, { log: { level: 'error' } });
    const workers = started.app.get(BullWorkers).list();
    await waitFor('the blocking connections to be up', async () => (await Promise.all(workers.map(blockingStatus))).every((s) => s === 'ready'));
    await waitFor('the first reconciler pass', async () =>
      /^reconcile_last_success_timestamp_seconds [1-9]/m.test(await (await fetch(`http://127.0.0.1:${started.probe.port}/metrics`)).text()),
    );
    return { started, workers };
  };
  const outage = async (workers: Worker[]) => {
    await stopRedis(redis);
    await waitFor('every blocking connection to wait for a reconnect', async () => (await Promise.all(workers.map(blockingStatus))).every((s) => s === 'reconnecting'), 30_000);
  };

  it('just after Redis came back, the workers stop without waiting out the grace', async () => {
    const { started, workers } = await startTestWorker(600_000);
    worker = started;
    expect(workers.map((w) => w.name).sort()).toEqual(Object.values(QUEUES).sort());
    await outage(workers);
    redis = await startRedis(port);
    // The case that hung: a blocking connection still between two attempts when the shutdown begins.
    expect(await Promise.all(workers.map(blockingStatus))).toContain('reconnecting');
    expect(await started.shutdown()).toBe(0);
    expect(workers.every((w) => w.closing !== undefined && !w.isRunning())).toBe(true);
    worker = undefined;
  }, 60_000);

  it('with Redis still down, the workers are closed with force at the end of the grace', async () => {
    const { started, workers } = await startTestWorker(1000);
    worker = started;
    await outage(workers);
    expect(await started.shutdown()).toBe(workers.length);
    worker = undefined;
  }, 60_000);

  /**
   * The case that ended by the forced exit: a reconciler pass running when Redis went away waits
   * for it (every pass ends with a Redis command), so stopping the task waited for it; and a queue
   * whose client holds a command until Redis answers (a dispatch after a commit, or the pass's own)
   * was closed with ioredis's quit, which waits behind that command.
   */
  it('with a reconciler pass and a command waiting for Redis, the shutdown ends before the forced exit and the waiting work fails', async () => {
    const graceMs = 1000;
    const { started, workers } = await startTestWorker(graceMs, 100);
    worker = started;
    await outage(workers);
    // Redis is down: a pass running now cannot end by itself, and a pass starts every 100 ms.
    await waitFor('a reconciler pass to be running', async () => reconcilePassRunning(started.app.get(Reconciler)));
    const deadlines = started.app.get<Queue>(getQueueToken(QUEUES.deadlines));
    const held = (await deadlines.client).get('a command the outage holds').then(
      () => 'answered',
      (error: Error) => error.message,
    );
    const began = Date.now();
    expect(await started.shutdown()).toBe(workers.length);
    // main.ts exits by force at the grace plus 10 s; the pass was not merely left after its timer's
    // wait either (that would take the grace plus STOP_WAIT_MS).
    expect(Date.now() - began).toBeLessThan(graceMs + PeriodicTask.STOP_WAIT_MS);
    expect(await held).toMatch(/^Connection is closed: deadlines was closed at shutdown while Redis was unreachable/);
    expect(reconcilePassRunning(started.app.get(Reconciler))).toBe(false); // what it waited for failed: it ended
    worker = undefined;
  }, 60_000);
});
