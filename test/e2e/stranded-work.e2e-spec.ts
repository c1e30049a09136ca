import { Queue, Worker } from 'bullmq';
import { Client } from 'pg';
import { databaseUrlFor } from '@app/db';
import { JOB_OPTIONS, QUEUES, jobIds } from '@app/queues';
import { Reconciler } from '@app/workers';
// Only to stop this process's own effect worker for a moment (BullMQ's Worker.pause); not exported by @app/workers.
import { EffectProcessor } from '../../libs/workers/src/processors/effect.processor';
import { disputeBody, startTestApp, type TestApp, type TestMerchant } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * Nothing is stranded: every way BullMQ can give up on an effect job ends with its row failed
 * (visible, redrivable) or re-run, never pending forever. Real PostgreSQL, Redis and BullMQ; the
 * test drives BullMQ only through its public API and the keys BullMQ itself writes.
 */
describe('effects BullMQ gives up on', () => {
  let t: TestApp;
  let merchant: TestMerchant;
  let effects: Queue;
  let supervisor: string;

  beforeAll(async () => {
    t = await startTestApp({ OUTBOX_MAX_RELAYS: '2' });
    merchant = await t.createMerchant();
    supervisor = (await t.login('supervisor@test.local', 'supervisor')).auth;
    effects = new Queue(QUEUES.effects, { connection: { host: t.config.redis.host, port: t.config.redis.port }, prefix: t.config.queues.prefix });
  });
  afterAll(async () => {
    await effects.resume();
    await effects.close();
    await t.close();
  });

  /** A dispute waiting for the merchant's answer. */
  async function forwardedDispute(): Promise<string> {
    const { body } = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ merchantId: merchant.id }))
      .expect(201);
    await t.http.post(`/v1/cases/${body.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
    return body.id as string;
  }

  /** The merchant accepts while the effects queue is paused: the refund's job waits in Redis. */
  async function acceptedWithRefundWaiting(caseId: string): Promise<string> {
    await effects.pause();
    await t.http.post(`/v1/merchant/disputes/${caseId}/accept`).set('Authorization', merchant.auth).set('Idempotency-Key', `accept-${caseId}`).expect(200);
    const [row] = await t.sql<{ id: string }>(`select id from outbox where case_id = $1 and type = 'requestRefund'`, [caseId]);
    await waitFor('the refund job to be queued', async () => (await effects.getJobState(jobIds.effect(row!.id))) === 'waiting');
    return row!.id;
  }

  const outboxRow = async (id: string) =>
    (await t.sql<{ status: string; relays: number; last_error: string | null }>(`select status, relays, last_error from outbox where id = $1`, [id]))[0]!;
  const caseState = async (id: string) => (await t.sql<{ state: string }>(`select state from cases where id = $1`, [id]))[0]!.state;
  const refundsOf = async (id: string) => Number((await t.sql<{ n: string }>(`select count(*) as n from refunds where case_id = $1`, [id]))[0]!.n);

  it('a refund job that stalled more than the limit is marked failed, counted in /metrics, and redriven to exactly one refund', async () => {
    const caseId = await forwardedDispute();
    const outboxId = await acceptedWithRefundWaiting(caseId);
    // On a job's second stall BullMQ writes this deferred failure into the job hash and moves it
    // back to wait; the next worker to pick it up fails it with an UnrecoverableError
    // (moveStalledJobsToWait.lua). Written here the same way, without killing a worker twice.
    await t.redis.hset(effects.toKey(jobIds.effect(outboxId)), 'defa', 'job stalled more than allowable limit');
    await effects.resume();

    await waitFor('the row to be marked failed', async () => (await outboxRow(outboxId)).status === 'failed');
    expect((await outboxRow(outboxId)).last_error).toBe('job stalled more than allowable limit');
    expect(await caseState(caseId)).toBe('refunding.pending');
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^effects_unfinished\{type="requestRefund",status="failed"\} 1$/m);

    const redriven = await t.http.post(`/v1/cases/${caseId}/effects/redrive`).set('Authorization', supervisor).expect(200);
    expect(redriven.body.redriven).toEqual([outboxId]);
    await waitFor('the redriven refund to resolve the case', async () => (await caseState(caseId)) === 'resolved');
    expect(await refundsOf(caseId)).toBe(1);
    expect((await outboxRow(outboxId)).status).toBe('done');
    expect((await t.http.get('/metrics').expect(200)).text).toMatch(/^effects_unfinished\{type="requestRefund",status="failed"\} 0$/m);
  });

  it('a refund job whose worker dies mid-job twice (a real double stall) is failed by BullMQ and marked failed', async () => {
    const appWorker = t.app.get(EffectProcessor).worker;
    // This process's effect worker takes nothing for now. Paused before the case opens: a fetch it
    // had already started takes one of the opening's effects, never the refund's job.
    await appWorker.pause(true);
    const caseId = await forwardedDispute();
    // A worker that takes the job and then "dies": it never finishes it and never renews its lock.
    // It also runs BullMQ's stalled-job check, every 200 ms instead of the app's 30 s.
    const dying = new Worker(QUEUES.effects, null, {
      connection: { host: t.config.redis.host, port: t.config.redis.port },
      prefix: t.config.queues.prefix,
      lockDuration: 400,
      stalledInterval: 200,
      maxStalledCount: 1,
      autorun: false,
    });
    let outboxId = '';
    try {
      await t.http.post(`/v1/merchant/disputes/${caseId}/accept`).set('Authorization', merchant.auth).set('Idempotency-Key', `accept-${caseId}`).expect(200);
      outboxId = (await t.sql<{ id: string }>(`select id from outbox where case_id = $1 and type = 'requestRefund'`, [caseId]))[0]!.id;
      const jobId = jobIds.effect(outboxId);
      // The app worker's last check throttles every checker for its 30 s interval; lift that once.
      await t.redis.del(effects.toKey('stalled-check'));
      await dying.startStalledCheckTimer();
      for (const stall of [1, 2]) {
        let taken: string | undefined;
        await waitFor(`the dying worker to take the job (${stall})`, async () => {
          const job = await dying.getNextJob(`dying-${stall}`, { block: false });
          // Other effects of the same decision (the customer's notifications) wait in the same queue:
          // set them aside (their rows stay pending in PostgreSQL) until the refund's job comes up.
          if (job && job.id !== jobId) {
            await job.moveToCompleted('set aside by the test', `dying-${stall}`, false);
            return undefined;
          }
          return (taken = job?.id);
        });
        expect(taken).toBe(jobId);
        await waitFor(`stall ${stall} to put the job back`, async () => (await effects.getJobState(jobId)) === 'waiting', 10_000);
      }
      expect((await effects.getJob(jobId))!.deferredFailure).toBe('job stalled more than allowable limit');
    } finally {
      await dying.close(true);
      appWorker.resume();
    }
    await waitFor('the row to be marked failed', async () => (await outboxRow(outboxId)).status === 'failed');
    expect((await outboxRow(outboxId)).last_error).toBe('job stalled more than allowable limit');
    expect(await caseState(caseId)).toBe('refunding.pending');
    expect(await refundsOf(caseId)).toBe(0);
  });

  it('an effect no handler knows fails at once with an UnrecoverableError and is marked failed', async () => {
    const caseId = await forwardedDispute();
    const [row] = await t.sql<{ id: string }>(`insert into outbox (id, case_id, type, payload) values (gen_random_uuid(), $1, 'noSuchEffect', '{}') returning id`, [caseId]);
    await t.app.get(Reconciler).reconcileOnce();
    await waitFor('the unknown effect to be marked failed', async () => (await outboxRow(row!.id)).status === 'failed');
    expect((await outboxRow(row!.id)).last_error).toBe('No handler for effect type "noSuchEffect"');
    const job = await effects.getJob(jobIds.effect(row!.id));
    expect(job?.attemptsMade).toBe(1);
    expect((await t.http.get('/metrics').expect(200)).text).toMatch(/^effects_unfinished\{type="noSuchEffect",status="failed"\} 1$/m);
  });

  it('PostgreSQL down while a refund job fails for good: the row stays pending, and the reconciler replaces the failed job and refunds once', async () => {
    const caseId = await forwardedDispute();
    const outboxId = await acceptedWithRefundWaiting(caseId);
    // The same job with one attempt: BullMQ gives up on its first failure, as it would after the
    // last of its twelve retries during a long outage, without waiting an hour of backoff.
    const queued = (await effects.getJob(jobIds.effect(outboxId)))!;
    await queued.remove();
    await effects.add('effect.run', queued.data, { ...JOB_OPTIONS['effect.run'], jobId: jobIds.effect(outboxId), attempts: 1 });

    // The app's database refuses connections and every connection the app holds is cut (the
    // test's own inspection connection stays).
    const [{ db: database, pid: ownPid }] = await t.sql<{ db: string; pid: number }>('select current_database() as db, pg_backend_pid() as pid');
    const admin = new Client({ connectionString: databaseUrlFor(t.config.database.url, 'postgres') });
    await admin.connect();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await admin.query(`alter database "${database}" allow_connections false`);
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> $2`, [database, ownPid]);
      await effects.resume();
      await waitFor('BullMQ to fail the job for good', async () => (await effects.getJobState(jobIds.effect(outboxId))) === 'failed', 30_000);
      // The failed handler runs right after BullMQ moves the job; give its attempt to mark the row
      // time to meet the closed database before it opens again (not a timing assertion).
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      await admin.query(`alter database "${database}" allow_connections true`);
      await admin.end();
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    // markFailed could not reach PostgreSQL either (its error was logged, not thrown at the process).
    expect((await outboxRow(outboxId)).status).toBe('pending');
    expect(await caseState(caseId)).toBe('refunding.pending');

    // The failed job still holds the row's job id; the reconciler removes it and enqueues again.
    const pass = await t.app.get(Reconciler).reconcileOnce();
    expect(pass).toMatchObject({ outbox: 1, outboxFailed: 0 });
    await waitFor('the refund to resolve the case', async () => (await caseState(caseId)) === 'resolved', 30_000);
    expect(await outboxRow(outboxId)).toMatchObject({ status: 'done', relays: 1 });
    expect(await refundsOf(caseId)).toBe(1);
  });

  it('a row whose job keeps vanishing is relayed OUTBOX_MAX_RELAYS times, then marked failed', async () => {
    const caseId = await forwardedDispute();
    const outboxId = await acceptedWithRefundWaiting(caseId);
    try {
      for (let relay = 1; relay <= 2; relay += 1) {
        await effects.remove(jobIds.effect(outboxId));
        expect(await t.app.get(Reconciler).reconcileOnce()).toMatchObject({ outbox: 1, outboxFailed: 0 });
        expect(await effects.getJobState(jobIds.effect(outboxId))).toBe('waiting');
        expect(await outboxRow(outboxId)).toMatchObject({ status: 'pending', relays: relay });
      }
      // A pass while the job is there changes nothing.
      expect(await t.app.get(Reconciler).reconcileOnce()).toMatchObject({ outbox: 0, outboxFailed: 0 });

      await effects.remove(jobIds.effect(outboxId));
      expect(await t.app.get(Reconciler).reconcileOnce()).toMatchObject({ outbox: 0, outboxFailed: 1 });
      expect(await outboxRow(outboxId)).toMatchObject({ status: 'failed', relays: 2 });
      expect((await outboxRow(outboxId)).last_error).toContain('relayed 2 times');
      expect(await effects.getJobState(jobIds.effect(outboxId))).toBe('unknown');
    } finally {
      await effects.resume();
    }
    // Redriven, it starts counting again and is paid once.
    await t.http.post(`/v1/cases/${caseId}/effects/redrive`).set('Authorization', supervisor).expect(200);
    await waitFor('the redriven refund to resolve the case', async () => (await caseState(caseId)) === 'resolved');
    expect(await outboxRow(outboxId)).toMatchObject({ status: 'done', relays: 0 });
    expect(await refundsOf(caseId)).toBe(1);
  });
});
