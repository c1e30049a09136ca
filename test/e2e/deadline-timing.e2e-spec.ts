import { MikroORM, RequestContext } from '@mikro-orm/core';
import { Queue } from 'bullmq';
import { FireDeadline } from '@app/cases';
import { QUEUES, jobIds } from '@app/queues';
import { Reconciler } from '@app/workers';
import { disputeBody, startTestApp, type TestApp, type TestMerchant } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * The deadline row's due time is the truth: a job delivered early waits for the rest, a job
 * BullMQ gives up on marks the row failed (redrivable), and a merchant's answer after the due time
 * is refused even while the deadline worker lags. Real PostgreSQL, Redis and BullMQ.
 */
describe('deadlines: never early, never stranded, and the window closes on time', () => {
  let t: TestApp;
  let merchant: TestMerchant;
  let deadlines: Queue;
  let supervisor: string;

  beforeAll(async () => {
    t = await startTestApp({ DISPUTE_MERCHANT_RESPONSE_SECONDS: '3' });
    merchant = await t.createMerchant();
    supervisor = (await t.login('supervisor@test.local', 'supervisor')).auth;
    deadlines = new Queue(QUEUES.deadlines, { connection: { host: t.config.redis.host, port: t.config.redis.port }, prefix: t.config.queues.prefix });
  });
  afterAll(async () => {
    await deadlines.resume();
    await deadlines.close();
    await t.close();
  });

  /** A dispute waiting for the merchant, and its merchant window's deadline row. */
  async function forwardedDispute(): Promise<{ caseId: string; deadlineId: string; version: number }> {
    const { body } = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ merchantId: merchant.id }))
      .expect(201);
    const forwarded = await t.http.post(`/v1/cases/${body.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
    const [row] = await t.sql<{ id: string }>(`select id from deadlines where case_id = $1 and name = 'merchantResponseWindow'`, [body.id]);
    return { caseId: body.id, deadlineId: row!.id, version: forwarded.body.version };
  }

  const deadlineRow = async (id: string) =>
    (await t.sql<{ status: string; fired_on_time: boolean | null }>(`select status, settled_at >= due_at as fired_on_time from deadlines where id = $1`, [id]))[0]!;
  const caseRow = async (id: string) => (await t.sql<{ state: string; version: number }>(`select state, version from cases where id = $1`, [id]))[0]!;
  const windowFired = async (caseId: string) => (await caseRow(caseId)).state !== 'awaitingMerchant';

  it('a deadline job delivered early does not fire; it waits for the rest of the window and fires then', async () => {
    const { caseId, deadlineId } = await forwardedDispute();
    const job = (await deadlines.getJob(jobIds.deadline(deadlineId)))!;
    await job.promote(); // delivered now, about three seconds before the row is due

    await waitFor('the early job to be processed and put back to wait', async () => {
      const again = await deadlines.getJob(jobIds.deadline(deadlineId));
      return (again?.attemptsStarted ?? 0) >= 1 && (await again!.getState()) === 'delayed';
    });
    expect((await deadlineRow(deadlineId)).status).toBe('pending');
    expect((await caseRow(caseId)).state).toBe('awaitingMerchant');

    await waitFor('the window to fire when due', () => windowFired(caseId), 15_000);
    expect(await deadlineRow(deadlineId)).toMatchObject({ status: 'fired', fired_on_time: true });
  });

  it('a deadline job BullMQ fails for good (stalled too often) marks the row failed; a supervisor redrives it', async () => {
    const { caseId, deadlineId } = await forwardedDispute();
    // What BullMQ writes into a job hash on its second stall (see stranded-work.e2e-spec.ts).
    await t.redis.hset(deadlines.toKey(jobIds.deadline(deadlineId)), 'defa', 'job stalled more than allowable limit');
    await (await deadlines.getJob(jobIds.deadline(deadlineId)))!.promote();

    await waitFor('the row to be marked failed', async () => (await deadlineRow(deadlineId)).status === 'failed');
    // The reason stays on the failed job BullMQ keeps (and in the log).
    expect((await deadlines.getJob(jobIds.deadline(deadlineId)))!.failedReason).toBe('job stalled more than allowable limit');
    expect((await t.http.get('/metrics').expect(200)).text).toMatch(/^deadlines_failed\{kind="machine"\} 1$/m);
    // A failed deadline is no longer pending, so the reconciler leaves it to a person.
    await t.app.get(Reconciler).reconcileOnce();
    expect((await deadlineRow(deadlineId)).status).toBe('failed');

    const redriven = await t.http.post(`/v1/cases/${caseId}/deadlines/redrive`).set('Authorization', supervisor).expect(200);
    expect(redriven.body.redriven).toEqual([deadlineId]);
    await waitFor('the redriven window to fire', () => windowFired(caseId), 15_000);
    expect(await deadlineRow(deadlineId)).toMatchObject({ status: 'fired', fired_on_time: true });
    expect((await t.http.get('/metrics').expect(200)).text).toMatch(/^deadlines_failed\{kind="machine"\} 0$/m);
  });

  it('a window redriven after the case left its state and came back is settled as stale: the new stay keeps its own window', async () => {
    const send = async (caseId: string, type: string, expectedVersion: number, payload?: unknown) =>
      (await t.http.post(`/v1/cases/${caseId}/events`).set('Authorization', t.auth).send({ type, expectedVersion, payload }).expect(200)).body as {
        version: number;
        state: string;
      };
    const fire = (id: string) => RequestContext.create(t.app.get(MikroORM).em, () => t.app.get(FireDeadline).execute(id));
    const giveUp = (id: string) => RequestContext.create(t.app.get(MikroORM).em, () => t.app.get(FireDeadline).giveUp(id));
    const replyWindows = (caseId: string) =>
      t.sql<{ id: string; status: string }>(`select id, status from deadlines where case_id = $1 and name = 'infoReplyWindow' order by created_at, id`, [caseId]);

    // No deadline job runs meanwhile: the merchant window's reminders come due within seconds.
    await deadlines.pause();
    try {
      const { caseId, version, deadlineId: merchantWindow } = await forwardedDispute();
      // The merchant window's job and one of its reminders' give up, then the merchant contests (the window closes).
      await giveUp(merchantWindow);
      const [merchantReminder] = await t.sql<{ id: string }>(`select id from deadlines where case_id = $1 and send_id like 'window.%' order by due_at limit 1`, [caseId]);
      await giveUp(merchantReminder!.id);
      const contested = await send(caseId, 'MERCHANT_CONTEST', version, { summary: 'Delivered on 3 May' });
      // The agent asks the customer, and that window's job gives up.
      const asked = await send(caseId, 'REQUEST_CUSTOMER_INFO', contested.version, { question: 'Please send a photo of the parcel' });
      const [first] = await replyWindows(caseId);
      await giveUp(first!.id);
      // The customer answers anyway, and later the agent asks again: a new stay with a window of its own.
      const answered = await send(caseId, 'CUSTOMER_INFO_PROVIDED', asked.version, { summary: 'Photo of the parcel' });
      const askedAgain = await send(caseId, 'REQUEST_CUSTOMER_INFO', answered.version, { question: 'Please send the receipt too' });
      expect(askedAgain.state).toBe('investigation.awaitingCustomerInfo');
      expect((await replyWindows(caseId)).map((row) => row.status)).toEqual(['failed', 'pending']);

      // The first window, put back and come due, would reject the dispute now ("the customer did not respond"):
      // the redrive settles it as stale instead, and so the merchant window (the case left its state) and its reminder.
      const redriven = await t.http.post(`/v1/cases/${caseId}/deadlines/redrive`).set('Authorization', supervisor).expect(200);
      expect(redriven.body.redriven).toEqual([]);
      expect([...redriven.body.settledAsStale].sort()).toEqual([first!.id, merchantWindow, merchantReminder!.id].sort());
      expect((await deadlineRow(merchantWindow)).status).toBe('stale');
      expect((await replyWindows(caseId)).map((row) => row.status)).toEqual(['stale', 'pending']);
      expect((await deadlineRow(merchantReminder!.id)).status).toBe('stale');

      // Put back by hand (in SQL) and due, it fires as stale all the same.
      await t.sql(`update deadlines set status = 'pending', settled_at = null, due_at = now() where id = $1`, [first!.id]);
      expect(await fire(first!.id)).toBe('stale');
      expect(await caseRow(caseId)).toMatchObject({ state: 'investigation.awaitingCustomerInfo', version: askedAgain.version });
      expect((await replyWindows(caseId)).map((row) => row.status)).toEqual(['stale', 'pending']);
    } finally {
      await deadlines.resume();
    }
  });

  it('a pending deadline whose job exists only as a failed job is re-added by the reconciler', async () => {
    const { caseId, deadlineId } = await forwardedDispute();
    await t.redis.hset(deadlines.toKey(jobIds.deadline(deadlineId)), 'defa', 'job stalled more than allowable limit');
    await (await deadlines.getJob(jobIds.deadline(deadlineId)))!.promote();
    await waitFor('BullMQ to fail the job', async () => (await deadlines.getJobState(jobIds.deadline(deadlineId))) === 'failed');
    await waitFor('the row to be marked failed', async () => (await deadlineRow(deadlineId)).status === 'failed');
    // As if marking it failed had not reached PostgreSQL: the row is pending, the job failed.
    await t.sql(`update deadlines set status = 'pending' where id = $1`, [deadlineId]);

    expect(await t.app.get(Reconciler).reconcileOnce()).toMatchObject({ deadlines: 1 });
    expect(await deadlines.getJobState(jobIds.deadline(deadlineId))).toBe('delayed');
    await waitFor('the re-added window to fire', () => windowFired(caseId), 15_000);
    expect(await deadlineRow(deadlineId)).toMatchObject({ status: 'fired', fired_on_time: true });
  });

  it('the merchant cannot answer once the window is due, even while the deadline worker lags; nothing changes', async () => {
    await deadlines.pause(); // the deadline workers take nothing: the window's job waits
    try {
      const { caseId, deadlineId, version } = await forwardedDispute();
      await t.http
        .post(`/v1/merchant/disputes/${caseId}/evidence`)
        .set('Authorization', merchant.auth)
        .set('Idempotency-Key', `fields-${caseId}`)
        .send({ shipping_proof: 'SF1400000001, signed by the buyer' })
        .expect(200);
      await waitFor(
        'the window to be due',
        async () => (await t.sql<{ due: boolean }>(`select due_at <= now() as due from deadlines where id = $1`, [deadlineId]))[0]!.due,
        10_000,
      );
      expect((await deadlineRow(deadlineId)).status).toBe('pending');

      const accepted = await t.http.post(`/v1/merchant/disputes/${caseId}/accept`).set('Authorization', merchant.auth).set('Idempotency-Key', `accept-${caseId}`).expect(409);
      expect(accepted.body).toMatchObject({ code: 'RESPONSE_WINDOW_CLOSED', window: 'merchantResponseWindow' });
      const submitted = await t.http
        .post(`/v1/merchant/disputes/${caseId}/evidence/submit`)
        .set('Authorization', merchant.auth)
        .set('Idempotency-Key', `submit-${caseId}`)
        .expect(409);
      expect(submitted.body.code).toBe('RESPONSE_WINDOW_CLOSED');

      expect(await caseRow(caseId)).toEqual({ state: 'awaitingMerchant', version });
      expect(await t.sql(`select id from outbox where case_id = $1 and type = 'requestRefund'`, [caseId])).toEqual([]);
      expect(await t.sql(`select status from evidence_submissions where case_id = $1`, [caseId])).toEqual([{ status: 'draft' }]);

      await deadlines.resume();
      await waitFor('the window to be decided for the customer', async () => (await caseRow(caseId)).state === 'resolved', 15_000);
      const decision = await t.http.get(`/v1/merchant/disputes/${caseId}/decision`).set('Authorization', merchant.auth).expect(200);
      expect(decision.body).toMatchObject({ outcome: 'full_refund', decided_by: 'deadline' });
    } finally {
      await deadlines.resume();
    }
  });
});
