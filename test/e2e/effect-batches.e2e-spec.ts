import { randomUUID } from 'node:crypto';
import { Queue, type Job } from 'bullmq';
import { PostCommitDispatcher } from '@app/cases';
import { QUEUES, jobIds, type JobPayloads } from '@app/queues';
import { Reconciler } from '@app/workers';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * Notifications committed close together reach the worker as one `effect.batch` job
 * (EFFECT_BATCH_WINDOW_MS), and nothing of what a job per row guaranteed is lost: every row runs
 * once and ends done, under the request that wrote it; a row that fails goes on with retries of
 * its own; the reconciler does not take a batch's rows for stranded; a process that stops sends
 * what its window holds. Real PostgreSQL, Redis, BullMQ; the effects queue is paused (BullMQ's
 * own pause) where the test needs to see the jobs before they run.
 */
const WINDOW_MS = 3_000;

describe('notifications relayed in batches', () => {
  let t: TestApp;
  let effects: Queue;

  beforeAll(async () => {
    // A long window, so that requests a slow machine spreads out still fall within one.
    t = await startTestApp({ EFFECT_BATCH_WINDOW_MS: String(WINDOW_MS) });
    effects = new Queue(QUEUES.effects, { connection: { host: t.config.redis.host, port: t.config.redis.port }, prefix: t.config.queues.prefix });
  });
  afterAll(async () => {
    await effects.resume();
    await effects.close();
    await t.close();
  });

  interface NotifyRow {
    id: string;
    case_id: string;
    request_id: string;
    status: string;
    attempts: number;
    relays: number;
    last_error: string | null;
  }
  const notifyRowsOf = (caseIds: string[]) =>
    t.sql<NotifyRow>(`select id, case_id, request_id, status, attempts, relays, last_error from outbox where case_id = any($1) and type = 'notify' order by id`, [caseIds]);

  async function openCase(requestId: string): Promise<string> {
    const { body } = await t.http.post('/v1/cases').set('Authorization', t.auth).set('X-Request-Id', requestId).send(disputeBody()).expect(201);
    return body.id as string;
  }

  /** A first case (sent at once: nothing was sent before it within the window), then `count` more at once (held, then sent together). */
  async function openCasesInOneWindow(label: string, count: number): Promise<{ first: string; others: string[] }> {
    // A window that is already open would hold the first case too: let it end.
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 100));
    const first = await openCase(`${label}-first`);
    const others = await Promise.all(Array.from({ length: count }, (_, index) => openCase(`${label}-${index}`)));
    return { first, others };
  }

  const liveEffectJobs = () => effects.getJobs(['waiting', 'paused', 'active', 'delayed', 'prioritized']);
  const batchesIn = (jobs: Job[]) => jobs.filter((job) => job.name === 'effect.batch') as Array<Job<JobPayloads['effect.batch']>>;
  /** The live batch job that carries every one of `rows`, once the window has sent it. */
  async function batchCarrying(rows: ReadonlyArray<{ id: string }>): Promise<Job<JobPayloads['effect.batch']>> {
    const carries = (job: Job<JobPayloads['effect.batch']>) => rows.every((row) => job.data.rows.some((carried) => carried.outboxId === row.id));
    await waitFor('the held notifications to reach the queue', async () => batchesIn(await liveEffectJobs()).some(carries));
    return batchesIn(await liveEffectJobs()).find(carries)!;
  }

  it('one job carries the rows of several commands, each with its own request id; each row runs once and ends done', async () => {
    await effects.pause();
    const { first, others } = await openCasesInOneWindow('batched', 4);
    const rows = await notifyRowsOf([first, ...others]);
    expect(new Set(rows.map((row) => row.case_id)).size).toBe(5);
    const othersRows = rows.filter((row) => row.case_id !== first);
    await waitFor('the held notifications to reach the queue', async () => batchesIn(await liveEffectJobs()).some((job) => job.data.rows.length >= othersRows.length));

    // Every row is in exactly one job: the first case's at once (its own job, or a batch of that
    // commit's rows), the others' together in one batch, none twice.
    const jobs = await liveEffectJobs();
    const carried = jobs.flatMap((job) =>
      job.name === 'effect.batch' ? (job.data as JobPayloads['effect.batch']).rows.map((row) => ({ job, ...row })) : [{ job, ...(job.data as JobPayloads['effect.run']) }],
    );
    expect(carried.map((entry) => entry.outboxId).sort()).toEqual(rows.map((row) => row.id).sort());
    const held = batchesIn(jobs).find((job) => job.data.rows.some((row) => row.outboxId === othersRows[0]!.id))!;
    expect(held.id).toBe(jobIds.effectBatch(held.data.rows[0]!.outboxId));
    expect(held.data.type).toBe('notify');
    expect(held.data.rows.map((row) => row.outboxId).sort()).toEqual(othersRows.map((row) => row.id).sort());
    // Each row keeps the request that wrote it.
    for (const row of held.data.rows) expect(row.requestId).toBe(rows.find((candidate) => candidate.id === row.outboxId)!.request_id);
    expect(new Set(held.data.rows.map((row) => row.requestId)).size).toBe(4);

    // Not stranded: the reconciler (which relays every pending row without a job of its own in
    // tests, OUTBOX_RELAY_AFTER_MS=0, once the send window is over) leaves the batch's rows to it,
    // also with newer jobs queued in front of the batch (rows that do not exist: they run as no-ops).
    for (const index of [1, 2, 3]) await effects.add('effect.run', { outboxId: randomUUID(), caseId: null, type: 'notify' }, { jobId: `in-front-${index}-${randomUUID()}` });
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + t.config.workers.dispatchWaitMs));
    const pass = await t.app.get(Reconciler).reconcileOnce();
    expect(pass).toMatchObject({ outbox: 0, outboxFailed: 0 });
    expect(await liveEffectJobs()).toHaveLength(jobs.length + 3);

    await effects.resume();
    await waitFor('every row to be done', async () => (await notifyRowsOf([first, ...others])).every((row) => row.status === 'done'));
    // Once each: one attempt, never relayed, and the batch is gone with nothing handed on.
    for (const row of await notifyRowsOf([first, ...others])) expect(row).toMatchObject({ attempts: 1, relays: 0, last_error: null });
    await waitFor('the queue to empty', async () => (await liveEffectJobs()).length === 0);
  });

  it('a row that fails in a batch goes on as a job of its own, with retries, while the batch finishes the rest', async () => {
    // Forwarded disputes notify their merchant, whose endpoint makes the notify write a webhook delivery.
    const merchant = await t.createMerchant();
    await t.http
      .post('/v1/merchant/webhook-endpoints')
      .set('Authorization', merchant.auth)
      .send({ url: 'http://127.0.0.1:9/hooks', events: ['dispute.awaiting_merchant'] })
      .expect(200);
    const opened = await Promise.all(
      [0, 1, 2, 3].map(
        async () =>
          (
            await t.http
              .post('/v1/cases')
              .set('Authorization', t.auth)
              .send(disputeBody({ merchantId: merchant.id }))
              .expect(201)
          ).body.id as string,
      ),
    );
    const forward = (caseId: string) =>
      t.http.post(`/v1/cases/${caseId}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 100));
    await effects.pause();
    await forward(opened[0]!);
    await Promise.all(opened.slice(1).map(forward));
    const toMerchant = async () =>
      t.sql<NotifyRow>(
        `select id, case_id, request_id, status, attempts, relays, last_error from outbox where case_id = any($1) and payload->>'topic' = 'dispute.awaiting_merchant' order by id`,
        [opened],
      );
    const held = (await toMerchant()).filter((row) => row.case_id !== opened[0]);
    expect(held).toHaveLength(3);
    await batchCarrying(held);
    // The database refuses the webhook delivery of one case's notification: its handler fails.
    const failing = opened[2]!;
    await t.sql(`create function refuse_delivery() returns trigger language plpgsql as $$ begin raise exception 'refused for the test'; end $$`);
    await t.sql(`create trigger refuse_delivery before insert on webhook_deliveries for each row when (new.case_id = '${failing}') execute function refuse_delivery()`);
    try {
      await effects.resume();
      await waitFor('the other notifications to be done', async () => (await toMerchant()).every((row) => row.case_id === failing || row.status === 'done'));
      const [failed] = (await toMerchant()).filter((row) => row.case_id === failing);
      await waitFor('the failed row to have a job of its own', async () => ['delayed', 'waiting', 'active'].includes(await effects.getJobState(jobIds.effect(failed!.id))));
      const row = (await toMerchant()).find((candidate) => candidate.id === failed!.id)!;
      expect(row.status).toBe('pending');
      expect(row.attempts).toBeGreaterThanOrEqual(1);
      expect(row.last_error).toContain('refused for the test');
      // Its own job, under the request that wrote the row, with effect.run's retries.
      const own = (await effects.getJob(jobIds.effect(failed!.id)))!;
      expect(own.name).toBe('effect.run');
      expect(own.data).toMatchObject({ outboxId: failed!.id, caseId: failing, type: 'notify', requestId: failed!.request_id });
      expect(own.opts.attempts).toBe(12);
    } finally {
      await t.sql(`drop trigger refuse_delivery on webhook_deliveries`);
      await t.sql(`drop function refuse_delivery()`);
    }
    // Its own job's retries finish it once the fault is gone: the merchant's delivery is written.
    await waitFor('the failed row to be done on a retry', async () => (await toMerchant()).every((row) => row.status === 'done'), 15_000);
    expect(await t.sql(`select id from webhook_deliveries where case_id = $1`, [failing])).toHaveLength(1);
  });

  it('a batch BullMQ gives up on leaves its rows pending, and the reconciler relays each as a job of its own', async () => {
    await effects.pause();
    const { first, others } = await openCasesInOneWindow('giving-up', 3);
    const held = await notifyRowsOf(others);
    const batch = await batchCarrying(held);
    // The same batch with one attempt: BullMQ gives up on its first failure, as after the last of
    // its retries, without the backoff's minutes. PostgreSQL refuses to mark its rows done.
    await batch.remove();
    await effects.add('effect.batch', batch.data, { ...batch.opts, jobId: batch.id, attempts: 1 });
    await t.sql(`create function refuse_done() returns trigger language plpgsql as $$ begin raise exception 'refused for the test'; end $$`);
    await t.sql(
      `create trigger refuse_done before update on outbox for each row when (new.status = 'done' and new.case_id = any('{${others.join(',')}}'::uuid[])) execute function refuse_done()`,
    );
    try {
      await effects.resume();
      await waitFor('BullMQ to give up on the batch', async () => (await effects.getJobState(batch.id!)) === 'failed');
    } finally {
      await t.sql(`drop trigger refuse_done on outbox`);
      await t.sql(`drop function refuse_done()`);
    }
    // Pending, not failed: nothing was wrong with the rows themselves.
    for (const row of await notifyRowsOf(others)) expect(row).toMatchObject({ status: 'pending', relays: 0 });
    await waitFor("the first case's notifications (their own jobs) to be done", async () => (await notifyRowsOf([first])).every((row) => row.status === 'done'));
    // Once they are past the time a notification may wait in its window, the reconciler relays them.
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + t.config.workers.dispatchWaitMs));
    expect(await t.app.get(Reconciler).reconcileOnce()).toMatchObject({ outbox: held.length, outboxFailed: 0 });
    for (const row of held) expect((await effects.getJob(jobIds.effect(row.id)))?.name).toBe('effect.run');
    await waitFor('every row to be done', async () => (await notifyRowsOf(others)).every((row) => row.status === 'done'));
    for (const row of await notifyRowsOf(others)) expect(row).toMatchObject({ relays: 1, last_error: null });
  });

  it('a process that stops sends what its window holds at once', async () => {
    await effects.pause();
    const { others } = await openCasesInOneWindow('closing', 2);
    const rows = await notifyRowsOf(others);
    const inQueue = async () =>
      new Set((await liveEffectJobs()).flatMap((job) => (job.name === 'effect.batch' ? (job.data as JobPayloads['effect.batch']).rows.map((row) => row.outboxId) : [])));
    // Held for the rest of the window: not on the queue yet, and not stranded either (the reconciler
    // relays every pending row without a job in tests, but not a notification within its window).
    expect(await t.app.get(Reconciler).reconcileOnce()).toMatchObject({ outbox: 0 });
    const before = await inQueue();
    expect(rows.some((row) => before.has(row.id))).toBe(false);
    // On the queue as soon as the shutdown hook returns.
    await t.app.get(PostCommitDispatcher).beforeApplicationShutdown();
    const after = await inQueue();
    expect(rows.every((row) => after.has(row.id))).toBe(true);
    await effects.resume();
    await waitFor('every row to be done', async () => (await notifyRowsOf(others)).every((row) => row.status === 'done'));
  });
});
