import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { MetricsRegistry } from '@app/ops';
import { QUEUES, jobIds } from '@app/queues';
import { Reconciler, type ReconcileResult } from '@app/workers';
import { SettableClock } from '../support/settable-clock';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * A deadline gets its BullMQ job only once it is due within DEADLINE_JOB_HORIZON_MS (15 minutes
 * here, as shipped): commands leave the jobs of deadlines further ahead to the reconciler, whose
 * pass within the horizon adds them, and the job then rings at the exact time. Real PostgreSQL,
 * Redis, BullMQ and in-process workers; the app's clock is moved forward instead of waiting.
 */
describe('deadline jobs within the horizon only', () => {
  const HORIZON_MS = 15 * 60_000;
  const clock = new SettableClock();
  let t: TestApp;
  let deadlines: Queue;

  beforeAll(async () => {
    // The merchant's window 20 minutes: beyond the horizon when it opens.
    t = await startTestApp({ DISPUTE_MERCHANT_RESPONSE_SECONDS: '1200' }, { clock });
    expect(t.config.workers.deadlineJobHorizonMs).toBe(HORIZON_MS);
    deadlines = t.app.get<Queue>(getQueueToken(QUEUES.deadlines));
    // Only the test's passes from here (the one at boot has run or is running): a timed pass
    // between moving the clock and the test's own would add the jobs first.
    await t.app.get(Reconciler).onModuleDestroy();
  });
  afterAll(() => t.close());

  type Row = { id: string; name: string; kind: string; sla_clock_id: string | null; send_id: string; status: string; due_at: Date };
  const pendingRows = (caseId: string) =>
    t.sql<Row>(`select id, name, kind, sla_clock_id, send_id, status, due_at from deadlines where case_id = $1 and status = 'pending' order by due_at, id`, [caseId]);
  const jobOf = (id: string) => deadlines.getJob(jobIds.deadline(id));
  const send = (caseId: string, type: string, expectedVersion: number, payload?: unknown) =>
    t.http.post(`/v1/cases/${caseId}/events`).set('Authorization', t.auth).send({ type, expectedVersion, payload }).expect(200);
  // The boot's pass may still hold the lock: ours runs once it is free.
  const reconcilePass = () => waitFor('a reconcile pass of our own', async () => (await t.app.get(Reconciler).reconcileOnce()) as ReconcileResult | false);
  const scheduledTotal = async () => {
    const metric = await t.app.get(MetricsRegistry).registry.getSingleMetric('reconcile_deadlines_scheduled_total')!.get();
    return metric.values[0]?.value ?? 0;
  };

  it('a merchant window further ahead has no job until a pass within the horizon adds it; the job rings on time and the silent merchant loses', async () => {
    const opened = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201);
    await send(opened.body.id, 'FORWARD_TO_MERCHANT', 1);
    const [window] = (await pendingRows(opened.body.id)).filter((row) => row.name === 'merchantResponseWindow');
    const dueAt = new Date(window!.due_at).getTime();
    expect(dueAt - clock.now().getTime()).toBeGreaterThan(HORIZON_MS);
    expect(await jobOf(window!.id)).toBeUndefined();

    // A pass while it is still beyond: nothing to schedule.
    expect(await reconcilePass()).toMatchObject({ deadlinesScheduled: 0 });
    expect(await jobOf(window!.id)).toBeUndefined();

    // Five seconds before it is due: the pass adds its job, counted as scheduled (not as restored).
    const before = await scheduledTotal();
    clock.set(new Date(dueAt - 5_000));
    expect(await reconcilePass()).toMatchObject({ deadlines: 0, deadlinesScheduled: 1 });
    expect(await scheduledTotal()).toBe(before + 1);
    const job = (await jobOf(window!.id))!;
    expect(await job.getState()).toBe('delayed');
    expect(job.delay).toBeGreaterThan(3_000);
    expect(job.delay).toBeLessThanOrEqual(5_000);

    // Another pass leaves the live job alone; one after the job was lost puts it back, counted as
    // restored (the last pass reached past its due time), due when the row is.
    expect(await reconcilePass()).toMatchObject({ deadlines: 0, deadlinesScheduled: 0 });
    await job.remove();
    expect(await reconcilePass()).toMatchObject({ deadlines: 1, deadlinesScheduled: 0 });
    const restored = (await jobOf(window!.id))!;
    expect(await restored.getState()).toBe('delayed');
    expect(restored.timestamp + restored.delay).toBeCloseTo(job.timestamp + job.delay, -3);

    const fired = await waitFor('the window to fire', async () => {
      const [row] = await t.sql<{ status: string; late_ms: number }>(`select status, extract(epoch from settled_at - due_at) * 1000 as late_ms from deadlines where id = $1`, [
        window!.id,
      ]);
      return row!.status === 'fired' ? row : undefined;
    });
    // By the app's clock: not before its time (the engine's rule) and not long after (the job rang then).
    expect(Number(fired.late_ms)).toBeGreaterThanOrEqual(0);
    expect(Number(fired.late_ms)).toBeLessThan(5_000);
    const decided = await waitFor('the decision for the customer', async () => {
      const { body } = await t.http.get(`/v1/cases/${opened.body.id}`).set('Authorization', t.auth).expect(200);
      return body.details.decisions.length > 0 ? body : undefined;
    });
    expect(decided.details.decisions).toEqual([expect.objectContaining({ outcome: 'full_refund', decidedBy: 'deadline' })]);
  });

  it('SLA alarms hours ahead stay rows through pauses and resumes; within the horizon each chain’s head gets the one job', async () => {
    const opened = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201);
    const caseId = opened.body.id as string;
    // The default disputes policy: a first-response and a resolution clock, each with three reminders and a breach, all hours away.
    const atOpen = await pendingRows(caseId);
    expect(atOpen.filter((row) => row.kind === 'sla')).toHaveLength(8);
    for (const row of atOpen) {
      expect(new Date(row.due_at).getTime() - clock.now().getTime()).toBeGreaterThan(HORIZON_MS);
      expect({ name: row.name, job: await jobOf(row.id) }).toEqual({ name: row.name, job: undefined });
    }

    // Forwarded (the first-response clock stops, resolution pauses), then the merchant contests (resolution resumes).
    await send(caseId, 'FORWARD_TO_MERCHANT', 1);
    await send(caseId, 'MERCHANT_CONTEST', 2, { summary: 'Delivered on 3 May' });
    const resumed = (await pendingRows(caseId)).filter((row) => row.kind === 'sla');
    expect(resumed.map((row) => row.name)).toEqual(['reminder-50pct', 'reminder-80pct', 'reminder-60min', 'breach']);
    const cancelled = await t.sql<{ id: string }>(`select id from deadlines where case_id = $1 and status = 'cancelled'`, [caseId]);
    expect(cancelled.length).toBeGreaterThanOrEqual(8);
    for (const row of [...resumed, ...cancelled]) expect(await jobOf(row.id)).toBeUndefined();

    // The clock moves to ten minutes before the resolution clock's first reminder: the pass gives that
    // head (and nothing behind it in its chain) its job, due when the row is.
    const [head, ...behind] = resumed;
    const headDue = new Date(head!.due_at).getTime();
    clock.set(new Date(headDue - 10 * 60_000));
    const pass = (await reconcilePass()) as ReconcileResult;
    expect(pass.deadlines).toBe(0);
    expect(pass.deadlinesScheduled).toBeGreaterThanOrEqual(1);
    const headJob = (await jobOf(head!.id))!;
    expect(headJob.data).toMatchObject({ deadlineId: head!.id, caseId });
    expect(headJob.delay).toBeGreaterThan(9 * 60_000);
    expect(headJob.delay).toBeLessThanOrEqual(10 * 60_000);
    for (const row of behind) expect({ name: row.name, job: await jobOf(row.id) }).toEqual({ name: row.name, job: undefined });
  });
});
