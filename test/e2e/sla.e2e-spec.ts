import { MikroORM, RequestContext } from '@mikro-orm/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { FireDeadline } from '@app/cases';
import { QUEUES, jobIds } from '@app/queues';
import { DEFAULT_BUSINESS_CALENDAR, addBusinessMinutes } from '@app/domain';
import type { ChildProcess } from 'node:child_process';
import { freePort, startRedis, stopRedis } from '../support/redis-server';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * SLA clocks through the real path. Targets are a few seconds (policies accept fractional
 * minutes) so that "longer than the whole target" takes seconds, not days.
 */
describe('SLA clocks: pausing, reminders, breaches and escalation', () => {
  let t: TestApp;
  let redis: ChildProcess;
  const SECONDS = 1 / 60;

  beforeAll(async () => {
    // A redis-server of this file's own: one test FLUSHALLs it, which must not touch the files running beside it.
    const port = await freePort();
    redis = await startRedis(port);
    // DEADLINE_JOB_HORIZON_MS of 30 days: every chain head gets its job from the command, so the
    // head rule shows on alarms hours and days away (deadline-horizon tests the shipped horizon).
    t = await startTestApp({ RECONCILE_INTERVAL_MS: '500', REDIS_PORT: String(port), DEADLINE_JOB_HORIZON_MS: String(30 * 24 * 3600_000) });
    // Cases from Weibo get a fast calendar-time policy; everything else keeps the defaults.
    await t.http
      .put('/v1/sla/policies/fast-weibo')
      .set('Authorization', t.auth)
      .send({
        name: 'Fast (tests)',
        position: 1,
        match: { channels: ['weibo'] },
        calendarId: 'prc-default',
        targets: { resolution: { minutes: 3 * SECONDS, mode: 'calendar' } },
        reminders: [{ kind: 'fraction', fraction: 0.5 }],
      })
      .expect(200);
  });
  afterAll(async () => {
    await t?.close();
    if (redis) await stopRedis(redis);
  });

  const open = async (body: Record<string, unknown>) => (await t.http.post('/v1/cases').set('Authorization', t.auth).send(body).expect(201)).body;
  const getCase = async (id: string) => (await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200)).body;
  const timelineTypes = async (id: string) =>
    ((await t.http.get(`/v1/cases/${id}/timeline`).set('Authorization', t.auth).expect(200)).body as Array<{ type: string }>).map((e) => e.type);
  const send = (caseId: string, type: string, expectedVersion: number, payload?: unknown) =>
    t.http.post(`/v1/cases/${caseId}/events`).set('Authorization', t.auth).send({ type, expectedVersion, payload }).expect(200);
  /** What a deadline job does (the queue may be paused meanwhile), and what BullMQ giving up on one does. */
  const fire = (id: string) => RequestContext.create(t.app.get(MikroORM).em, () => t.app.get(FireDeadline).execute(id));
  const giveUp = (id: string) => RequestContext.create(t.app.get(MikroORM).em, () => t.app.get(FireDeadline).giveUp(id));
  const notifications = (caseId: string, type: string) =>
    t.sql<{ n: string }>(`select count(*) as n from notifications where case_id = $1 and type = $2`, [caseId, type]).then((r) => Number(r[0]!.n));

  it('a case left running breaches once: reminder, breach, priority raised, supervisors told, timeline and metrics', async () => {
    const running = await open({ kind: 'inquiry', channel: 'weibo', priority: 'normal', subject: 'where is my money', customer: { id: 'u_1' } });
    expect(running.sla).toMatchObject({ policyId: 'fast-weibo', clocks: [expect.objectContaining({ target: 'resolution', status: 'running', paused: false })] });

    const breached = await waitFor('the resolution clock to breach', async () => {
      const current = await getCase(running.id);
      return current.sla.clocks[0].status === 'breached' ? current : undefined;
    });
    expect(breached.priority).toBe('high');
    expect(breached.escalatedAt).not.toBeNull();
    expect(breached.sla.clocks[0]).toMatchObject({ remindersSent: ['reminder-50pct'], breachedAt: expect.any(String) });
    // Give a duplicate alarm every chance to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await timelineTypes(running.id)).filter((type) => type === 'sla.breached')).toHaveLength(1);
    expect(await notifications(running.id, 'sla.breached')).toBe(1);
    expect(await notifications(running.id, 'sla.reminder')).toBe(1);

    const escalatedQueue = await t.http.get('/v1/cases?escalated=true').set('Authorization', t.auth).expect(200);
    expect(escalatedQueue.body.items.map((c: { id: string }) => c.id)).toContain(running.id);
    const breaches = await t.http.get('/v1/sla/breaches?policyId=fast-weibo').set('Authorization', t.auth).expect(200);
    expect(breaches.body.items.map((b: { caseId: string }) => b.caseId)).toContain(running.id);
    expect(breaches.body.counts.byPolicy['fast-weibo']).toBeGreaterThanOrEqual(1);
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^sla_breaches\{policy="fast-weibo",target="resolution"\} [1-9]\d*$/m);
    const inbox = await t.http.get('/v1/notifications?unread=true').set('Authorization', t.auth).expect(200);
    const breachNote = inbox.body.find((n: { caseId: string; type: string }) => n.caseId === running.id && n.type === 'sla.breached');
    expect(breachNote).toMatchObject({ audience: 'supervisors' });
    await t.http.post(`/v1/notifications/${breachNote.id}/read`).set('Authorization', t.auth).expect(204);
    const unread = await t.http.get('/v1/notifications?unread=true').set('Authorization', t.auth).expect(200);
    expect(unread.body.map((n: { id: string }) => n.id)).not.toContain(breachNote.id);
  });

  it('the answer to an event is the case as a read right after shows it (built from the command, not re-read)', async () => {
    const agent = await t.login('answerer@sla.test', 'agent');
    const item = await open({ kind: 'inquiry', channel: 'weibo', subject: 'view after event', customer: { id: 'u_view' } });
    const assigned = (await t.http.post(`/v1/cases/${item.id}/assign`).set('Authorization', t.auth).send({ assigneeId: agent.id }).expect(200)).body;
    await waitFor('the 50 % reminder', async () => (await getCase(item.id)).sla.clocks[0].remindersSent.length === 1);
    const answered = (
      await t.http
        .post(`/v1/cases/${item.id}/events`)
        .set('Authorization', agent.auth)
        .send({ type: 'ANSWER', expectedVersion: assigned.version, payload: { answer: 'It arrives today.' } })
        .expect(200)
    ).body;
    const reread = (await t.http.get(`/v1/cases/${item.id}`).set('Authorization', agent.auth).expect(200)).body;
    // Minutes left are computed at the moment of each answer; everything else must be identical.
    const withoutMinutesLeft = (view: Record<string, any>) => ({
      ...view,
      deadlines: view.deadlines.map(({ businessMinutesLeft: _, ...deadline }: Record<string, unknown>) => deadline),
      sla: { ...view.sla, clocks: view.sla.clocks.map(({ minutesLeft: _, ...clock }: Record<string, unknown>) => clock) },
    });
    expect(withoutMinutesLeft(answered)).toEqual(withoutMinutesLeft(reread));
    expect(answered).toMatchObject({
      state: 'answered',
      version: assigned.version + 1,
      assignee: { id: agent.id },
      deadlines: [expect.objectContaining({ name: 'customerReplyWindow' })],
      sla: { clocks: [expect.objectContaining({ status: 'stopped', metAt: expect.any(String), remindersSent: ['reminder-50pct'] })] },
    });
  });

  it('a case paused in a waiting state for longer than its whole target does not breach, and resumes with the time it had used', async () => {
    const waiting = await open(disputeBody({ channel: 'weibo' }));
    // Use 1.2 s of the 3 s target before the case starts waiting on the merchant.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await t.http.post(`/v1/cases/${waiting.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
    const paused = await getCase(waiting.id);
    expect(paused.state).toBe('awaitingMerchant');
    expect(paused.sla.clocks[0]).toMatchObject({ status: 'paused', paused: true, dueAt: null });
    // As stored: the view's minutesLeft is rounded to a hundredth of a minute (0.6 s), coarser than this test's margin.
    const [stored] = await t.sql<{ used_minutes: number }>(`select used_minutes from sla_clocks where case_id = $1 and target = $2`, [waiting.id, paused.sla.clocks[0].target]);
    const usedSecondsWhenPaused = stored!.used_minutes * 60;
    expect(usedSecondsWhenPaused).toBeGreaterThanOrEqual(1.1);

    await new Promise((resolve) => setTimeout(resolve, 4500)); // 1.5 × the whole target
    const stillPaused = await getCase(waiting.id);
    expect(stillPaused.sla.clocks[0].status).toBe('paused');
    expect(await notifications(waiting.id, 'sla.breached')).toBe(0);

    const contested = await t.http
      .post(`/v1/cases/${waiting.id}/events`)
      .set('Authorization', t.auth)
      .send({ type: 'MERCHANT_CONTEST', payload: { summary: 'delivered' }, expectedVersion: stillPaused.version })
      .expect(200);
    expect(contested.body.sla.clocks[0].status).toBe('running');
    const dueIn = Date.parse(contested.body.sla.clocks[0].dueAt) - Date.now();
    // What is left is the target less what was used before the pause, not a fresh target.
    expect(dueIn).toBeLessThanOrEqual((3 - usedSecondsWhenPaused) * 1000 + 200);
    expect(dueIn).toBeGreaterThan(0);
  });

  it('an alarm job delivered twice (a stalled job) notifies once', async () => {
    const item = await open({ kind: 'inquiry', channel: 'weibo', subject: 'twice', customer: { id: 'u_2' } });
    const [reminder] = await t.sql<{ id: string }>(`select id from deadlines where case_id = $1 and name = 'reminder-50pct'`, [item.id]);
    // Both deliveries come once the reminder is due (a deadline never fires early); the queued job waits meanwhile.
    const queue = t.app.get<Queue>(getQueueToken(QUEUES.deadlines));
    await queue.pause();
    try {
      await waitFor('the reminder to be due', async () => (await t.sql<{ due: boolean }>(`select due_at <= now() as due from deadlines where id = $1`, [reminder!.id]))[0]!.due);
      const outcomes = await Promise.all([fire(reminder!.id), fire(reminder!.id)]);
      expect(outcomes.sort()).toEqual(['already-settled', 'fired']);
      expect(await fire(reminder!.id)).toBe('already-settled');
    } finally {
      await queue.resume();
    }
    await waitFor('the queued reminder job to run as well', async () => {
      const [row] = await t.sql<{ status: string }>(`select status from deadlines where id = $1`, [reminder!.id]);
      return row!.status === 'fired';
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await notifications(item.id, 'sla.reminder')).toBe(1);
  });

  it('one reminder job fires every reminder already due; a job whose row is settled fires only what came due since', async () => {
    const queue = t.app.get<Queue>(getQueueToken(QUEUES.deadlines));
    await queue.pause();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) ids.push((await open({ kind: 'inquiry', channel: 'weibo', subject: `batch ${i}`, customer: { id: `u_b${i}` } })).id);
      const reminders = await t.sql<{ id: string; case_id: string }>(`select id, case_id from deadlines where case_id = any($1) and name = 'reminder-50pct'`, [ids]);
      expect(reminders).toHaveLength(3);
      await new Promise((resolve) => setTimeout(resolve, 1700)); // every 50 % reminder is due now
      expect(await fire(reminders[0]!.id)).toBe('fired');
      const settled = await t.sql<{ status: string }>(`select status from deadlines where id = any($1)`, [reminders.map((r) => r.id)]);
      expect(settled.map((row) => row.status)).toEqual(['fired', 'fired', 'fired']);
      expect(await fire(reminders[1]!.id)).toBe('already-settled');
      for (const id of ids) expect(await notifications(id, 'sla.reminder')).toBe(1);

      // A job whose own row is long settled still sweeps what came due since: in a burst, the jobs
      // queued behind the first are what keeps the rest of the burst on time.
      const late = (await open({ kind: 'inquiry', channel: 'weibo', subject: 'batch late', customer: { id: 'u_b_late' } })).id;
      const [lateReminder] = await t.sql<{ id: string }>(`select id from deadlines where case_id = $1 and name = 'reminder-50pct'`, [late]);
      await new Promise((resolve) => setTimeout(resolve, 1700));
      // A reminder of a running clock that is an hour away must not go out early.
      const notYet = (await open({ kind: 'inquiry', channel: 'weibo', subject: 'batch not yet', customer: { id: 'u_b_not_yet' } })).id;
      await t.sql(`update deadlines set due_at = now() + interval '1 hour' where case_id = $1 and name = 'reminder-50pct'`, [notYet]);
      expect(await fire(reminders[2]!.id)).toBe('already-settled');
      const [lateRow] = await t.sql<{ status: string }>(`select status from deadlines where id = $1`, [lateReminder!.id]);
      expect(lateRow!.status).toBe('fired');
      const [notYetRow] = await t.sql<{ status: string }>(`select status from deadlines where case_id = $1 and name = 'reminder-50pct'`, [notYet]);
      expect(notYetRow!.status).toBe('pending');
      expect(await notifications(notYet, 'sla.reminder')).toBe(0);
      expect(await notifications(late, 'sla.reminder')).toBe(1);
      expect(await fire(lateReminder!.id)).toBe('already-settled');
      expect(await notifications(late, 'sla.reminder')).toBe(1);
    } finally {
      await queue.resume();
    }
  });

  it('Redis FLUSHALL between scheduling and firing: reminders and breaches still fire once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) ids.push((await open({ kind: 'inquiry', channel: 'weibo', subject: `flush ${i}`, customer: { id: `u_f${i}` } })).id);
    await t.redis.flushall();
    await waitFor(
      'every breach after the flush',
      async () => {
        const [row] = await t.sql<{ n: string }>(`select count(*) as n from sla_clocks where case_id = any($1) and status = 'breached'`, [ids]);
        return Number(row!.n) === ids.length;
      },
      15_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const id of ids) {
      expect(await notifications(id, 'sla.reminder')).toBe(1);
      expect(await notifications(id, 'sla.breached')).toBe(1);
      expect((await timelineTypes(id)).filter((type) => type === 'sla.breached')).toHaveLength(1);
    }
  });

  it('only the earliest pending alarm of each clock or window has a job: a pause removes it, a resume adds one, firing hands it on', async () => {
    const queue = t.app.get<Queue>(getQueueToken(QUEUES.deadlines));
    type Row = { id: string; kind: string; name: string; status: string; due_at: Date; head: boolean };
    // The case's deadlines, each with whether it heads its chain (computed here with a window
    // function, apart from the engine's own rule) and whether Redis holds a job for it.
    const deadlines = async (caseId: string) => {
      const rows = await t.sql<Row>(
        `select id, kind, name, status, due_at,
                status = 'pending' and row_number() over (
                  partition by status, case when kind = 'sla' then coalesce(sla_clock_id::text, send_id) else id::text end
                  order by due_at, id) = 1 as head
           from deadlines where case_id = $1 order by due_at, id`,
        [caseId],
      );
      const jobs = await Promise.all(rows.map((row) => queue.getJob(jobIds.deadline(row.id))));
      return rows.map((row, index) => ({ ...row, job: jobs[index] ?? null }));
    };
    const expectJobsOnHeadsOnly = async (caseId: string) => {
      const rows = await deadlines(caseId);
      for (const row of rows.filter((candidate) => candidate.status === 'pending')) {
        expect({ name: row.name, job: row.job !== null }).toEqual({ name: row.name, job: row.head });
        // A head's job rings when the row is due.
        if (row.job) expect(row.job.timestamp + row.job.delay).toBeCloseTo(new Date(row.due_at).getTime(), -3);
      }
      for (const row of rows.filter((candidate) => candidate.status === 'cancelled')) expect({ name: row.name, job: row.job }).toEqual({ name: row.name, job: null });
      return rows;
    };

    // The default disputes policy: first response and resolution clocks, each with three reminders and a breach.
    const dispute = await open(disputeBody());
    const opened = await expectJobsOnHeadsOnly(dispute.id);
    expect(opened.filter((row) => row.kind === 'sla' && row.status === 'pending')).toHaveLength(8);
    expect(opened.filter((row) => row.job)).toHaveLength(2);

    // Forwarded: the first-response clock stops and the resolution clock pauses (their jobs go), the
    // merchant window opens (its own job) with its reminders (one job, the earliest's).
    await send(dispute.id, 'FORWARD_TO_MERCHANT', 1);
    const forwarded = await expectJobsOnHeadsOnly(dispute.id);
    expect(forwarded.filter((row) => row.status === 'cancelled').map((row) => row.name)).toHaveLength(8);
    const windowReminders = forwarded.filter((row) => row.status === 'pending' && row.kind === 'sla');
    expect(windowReminders.map((row) => row.name)).toEqual(['merchant-reminder-50pct', 'merchant-reminder-80pct', 'merchant-reminder-60min']);
    expect(forwarded.filter((row) => row.job).map((row) => row.name)).toEqual(['merchant-reminder-50pct', 'merchantResponseWindow']);

    // The window's first reminder fires (made due in the row: a deadline never fires early): the next one gets the job.
    await t.sql(`update deadlines set due_at = now() where id = $1`, [windowReminders[0]!.id]);
    expect(await fire(windowReminders[0]!.id)).toBe('fired');
    const reminded = await expectJobsOnHeadsOnly(dispute.id);
    expect(reminded.filter((row) => row.status === 'pending' && row.job).map((row) => row.name)).toEqual(['merchant-reminder-80pct', 'merchantResponseWindow']);

    // The merchant contests: the window and its reminders are cancelled, the resolution clock resumes with new alarms.
    await send(dispute.id, 'MERCHANT_CONTEST', 2, { summary: 'Delivered on 3 May' });
    const resumed = await expectJobsOnHeadsOnly(dispute.id);
    const resolution = resumed.filter((row) => row.status === 'pending' && row.kind === 'sla');
    expect(resolution.map((row) => row.name)).toEqual(['reminder-50pct', 'reminder-80pct', 'reminder-60min', 'breach']);
    expect(resumed.filter((row) => row.status === 'pending' && row.job).map((row) => row.name)).toEqual(['reminder-50pct']);

    // A clock reminder fires through the sweep (no case lock): it hands the job on all the same.
    await t.sql(`update deadlines set due_at = now() where id = $1`, [resolution[0]!.id]);
    expect(await fire(resolution[0]!.id)).toBe('fired');
    const swept = await expectJobsOnHeadsOnly(dispute.id);
    expect(swept.filter((row) => row.status === 'pending' && row.job).map((row) => row.name)).toEqual(['reminder-80pct']);

    // BullMQ gives up on the head's job: the row waits for a redrive, and the next alarm gets the job.
    const head = swept.find((row) => row.status === 'pending' && row.job)!;
    await giveUp(head.id);
    const gaveUp = await expectJobsOnHeadsOnly(dispute.id);
    expect(gaveUp.find((row) => row.id === head.id)!.status).toBe('failed');
    expect(gaveUp.filter((row) => row.status === 'pending' && row.job).map((row) => row.name)).toEqual(['reminder-60min']);

    // Redis loses everything: the reconciler gives the heads their jobs back, and only them; two
    // alarms due at the same moment are ordered by id, as the engine orders them.
    const [next, after] = gaveUp.filter((row) => row.status === 'pending' && row.kind === 'sla');
    await t.sql(`update deadlines set due_at = $2 where id = any($1)`, [[next!.id, after!.id], new Date(next!.due_at)]);
    await t.redis.flushall();
    await waitFor('the reconciler to give the heads their jobs back', async () =>
      (await deadlines(dispute.id)).every((row) => row.status !== 'pending' || (row.job !== null) === row.head),
    );
    const restored = await expectJobsOnHeadsOnly(dispute.id);
    expect(restored.filter((row) => row.job).map((row) => row.id)).toEqual([[next!.id, after!.id].sort()[0]]);
  });

  it('an alarm whose job gave up, redriven after its clock paused and ran again, is settled as stale; one redriven in the same run fires', async () => {
    const resolutionAlarms = (caseId: string) =>
      t.sql<{ id: string; name: string; status: string }>(
        `select d.id, d.name, d.status from deadlines d join sla_clocks k on k.id = d.sla_clock_id
          where d.case_id = $1 and k.target = 'resolution' order by d.created_at, d.due_at, d.id`,
        [caseId],
      );
    const redrive = async (caseId: string) =>
      (await t.http.post(`/v1/cases/${caseId}/deadlines/redrive`).set('Authorization', t.auth).expect(200)).body as { redriven: string[]; settledAsStale: string[] };
    const makeDue = (ids: string[]) => t.sql(`update deadlines set due_at = now() where id = any($1)`, [ids]);
    // No job runs meanwhile: another reminder's job would sweep the rows made due here before `fire` does.
    const queue = t.app.get<Queue>(getQueueToken(QUEUES.deadlines));
    await queue.pause();
    try {
      // The default disputes policy: the resolution clock runs from the start, with three reminders and a breach.
      const dispute = await open(disputeBody());
      const firstRun = await resolutionAlarms(dispute.id);
      const oldReminder = firstRun.find((row) => row.name === 'reminder-50pct')!;
      const oldBreach = firstRun.find((row) => row.name === 'breach')!;
      await giveUp(oldReminder.id);
      await giveUp(oldBreach.id);

      // Forwarded to the merchant: the clock pauses, its pending alarms are cancelled; the failed ones stay failed.
      await send(dispute.id, 'FORWARD_TO_MERCHANT', 1);
      // The merchant contests: the clock runs again, with alarms of its own.
      await send(dispute.id, 'MERCHANT_CONTEST', 2, { summary: 'Delivered on 3 May' });
      const afterResume = await resolutionAlarms(dispute.id);
      expect(afterResume.filter((row) => [oldReminder.id, oldBreach.id].includes(row.id)).map((row) => row.status)).toEqual(['failed', 'failed']);
      const secondRun = afterResume.filter((row) => row.status === 'pending');
      expect(secondRun.map((row) => row.name)).toEqual(['reminder-50pct', 'reminder-80pct', 'reminder-60min', 'breach']);

      // A supervisor redrives: the failed alarms belong to the clock's earlier run, so they are settled as stale, not put back.
      const redriven = await redrive(dispute.id);
      expect({ redriven: redriven.redriven, settledAsStale: [...redriven.settledAsStale].sort() }).toEqual({ redriven: [], settledAsStale: [oldReminder.id, oldBreach.id].sort() });
      const settled = await resolutionAlarms(dispute.id);
      expect(settled.filter((row) => [oldReminder.id, oldBreach.id].includes(row.id)).map((row) => row.status)).toEqual(['stale', 'stale']);

      // Put back by hand (in SQL) and due, they fire as stale all the same.
      await t.sql(`update deadlines set status = 'pending', settled_at = null, due_at = now() where id = any($1)`, [[oldReminder.id, oldBreach.id]]);
      expect(await fire(oldReminder.id)).toBe('stale');
      expect(await fire(oldBreach.id)).toBe('stale');
      expect((await resolutionAlarms(dispute.id)).filter((row) => [oldReminder.id, oldBreach.id].includes(row.id)).map((row) => row.status)).toEqual(['stale', 'stale']);
      // The run's own alarms are untouched, and no replacement breach was planned beside them.
      expect((await resolutionAlarms(dispute.id)).filter((row) => row.status === 'pending').map((row) => row.id)).toEqual(secondRun.map((row) => row.id));
      expect(await notifications(dispute.id, 'sla.reminder')).toBe(0);
      expect(await notifications(dispute.id, 'sla.breached')).toBe(0);
      expect((await getCase(dispute.id)).sla.clocks.find((clock: { target: string }) => clock.target === 'resolution')).toMatchObject({ status: 'running' });

      // A reminder of the run that is running now, its job given up and redriven, still fires.
      const current = secondRun.find((row) => row.name === 'reminder-50pct')!;
      await giveUp(current.id);
      expect(await redrive(dispute.id)).toEqual({ redriven: [current.id], settledAsStale: [] });
      await makeDue([current.id]);
      expect(await fire(current.id)).toBe('fired');
      expect(await notifications(dispute.id, 'sla.reminder')).toBe(1);
    } finally {
      await queue.resume();
    }
  });

  it('reminds the merchant before the merchant window closes, once, and not after they answered', async () => {
    await t.http
      .put('/v1/sla/policies/wechat-disputes')
      .set('Authorization', t.auth)
      .send({
        name: 'WeChat disputes (tests)',
        position: 2,
        match: { kinds: ['dispute'], channels: ['wechat'] },
        calendarId: 'prc-default',
        targets: { merchantResponse: { minutes: 3 * SECONDS, mode: 'calendar' } },
        reminders: [{ kind: 'fraction', fraction: 0.5 }],
      })
      .expect(200);
    const silent = await open(disputeBody({ channel: 'wechat' }));
    const answered = await open(disputeBody({ channel: 'wechat' }));
    for (const id of [silent.id, answered.id]) {
      await t.http.post(`/v1/cases/${id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
    }
    // The merchant answers (an agent records their contest; accepting for them would need a second person's approval).
    await t.http
      .post(`/v1/cases/${answered.id}/events`)
      .set('Authorization', t.auth)
      .send({ type: 'MERCHANT_CONTEST', expectedVersion: 2, payload: { summary: 'Delivered on 3 May' } })
      .expect(200);

    await waitFor('the silent merchant to lose the dispute', async () => (await getCase(silent.id)).state === 'resolved');
    const dueSoon = (caseId: string) =>
      t.sql<{ payload: { merchantId: string; evidenceDueBy: string } }>(`select payload from outbox where case_id = $1 and payload->>'topic' = 'dispute.evidence_due_soon'`, [
        caseId,
      ]);
    const reminders = await dueSoon(silent.id);
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.payload).toMatchObject({ merchantId: 'm_1', evidenceDueBy: expect.any(String) });
    // With the case as it was when the reminder fired, for the webhook however late it goes out: after the forward, the window still open.
    const [forwarded] = await t.sql<{ to_state: string }>(`select to_state from case_events where case_id = $1 and case_version = 2`, [silent.id]);
    expect(reminders[0]!.payload).toMatchObject({
      moment: {
        version: 2,
        state: forwarded!.to_state,
        status: 'active',
        deadlines: expect.arrayContaining([{ name: 'merchantResponseWindow', dueAt: reminders[0]!.payload.evidenceDueBy }]),
      },
    });
    expect(await dueSoon(answered.id)).toHaveLength(0);
  });

  it('a business-time merchant window follows the calendar, and the case shows business minutes left', async () => {
    await t.http
      .put('/v1/sla/policies/email-disputes')
      .set('Authorization', t.auth)
      .send({
        name: 'Email disputes (tests)',
        position: 3,
        match: { kinds: ['dispute'], channels: ['email'] },
        calendarId: 'prc-default',
        targets: { merchantResponse: { minutes: 120, mode: 'business' } },
        reminders: [],
      })
      .expect(200);
    const item = await open(disputeBody({ channel: 'email' }));
    const before = new Date();
    const forwarded = await t.http.post(`/v1/cases/${item.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
    const after = new Date();
    const [window] = forwarded.body.deadlines;
    expect(window.name).toBe('merchantResponseWindow');
    const due = Date.parse(window.dueAt);
    expect(due).toBeGreaterThanOrEqual(addBusinessMinutes(DEFAULT_BUSINESS_CALENDAR, before, 120).getTime());
    expect(due).toBeLessThanOrEqual(addBusinessMinutes(DEFAULT_BUSINESS_CALENDAR, after, 120).getTime());
    expect(window.businessMinutesLeft).toBeGreaterThanOrEqual(119);
    expect(window.businessMinutesLeft).toBeLessThanOrEqual(120);
  });

  it('a reopened case continues its resolution clock, and the timeline says so', async () => {
    await t.http
      .put('/v1/sla/policies/chat-disputes')
      .set('Authorization', t.auth)
      .send({
        name: 'Chat disputes (tests)',
        position: 4,
        match: { kinds: ['dispute'], channels: ['chat'] },
        calendarId: 'prc-default',
        targets: { resolution: { minutes: 10, mode: 'calendar' } },
        reminders: [],
      })
      .expect(200);
    const item = await open(disputeBody({ channel: 'chat' }));
    // Let the resolution clock use a measurable share before the case is resolved.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    let version = 1;
    for (const [type, payload] of [
      ['FORWARD_TO_MERCHANT', undefined],
      ['MERCHANT_CONTEST', { summary: 'delivered' }],
      ['DECIDE_REJECT', { reason: 'proof of delivery' }],
    ] as const) {
      version = (await t.http.post(`/v1/cases/${item.id}/events`).set('Authorization', t.auth).send({ type, payload, expectedVersion: version }).expect(200)).body.version;
    }
    const resolved = await getCase(item.id);
    const frozen = resolved.sla.clocks.find((c: { target: string }) => c.target === 'resolution');
    expect(frozen).toMatchObject({ status: 'stopped', dueAt: null });

    const appealed = await t.http
      .post(`/v1/cases/${item.id}/events`)
      .set('Authorization', t.auth)
      .send({ type: 'APPEAL', payload: { reason: 'new evidence' }, expectedVersion: version })
      .expect(200);
    const resumed = appealed.body.sla.clocks.find((c: { target: string }) => c.target === 'resolution');
    expect(resumed.status).toBe('running');
    // It continues from what it had used; a fresh clock would have all 10 minutes left.
    expect(frozen.minutesLeft).toBeLessThanOrEqual(10 - 0.03);
    expect(Math.abs(resumed.minutesLeft - frozen.minutesLeft)).toBeLessThanOrEqual(0.01);
    const timeline = (await t.http.get(`/v1/cases/${item.id}/timeline`).set('Authorization', t.auth).expect(200)).body;
    expect(timeline.filter((e: { type: string }) => e.type === 'sla.clock_resumed')).toEqual([
      expect.objectContaining({ payload: expect.objectContaining({ target: 'resolution', rule: 'continue_resolution_clock' }) }),
    ]);
  });

  it('what-if previews a draft policy against open cases and changes nothing', async () => {
    await t.http
      .put('/v1/sla/policies/sms-what-if')
      .set('Authorization', t.auth)
      .send({
        name: 'What-if (tests)',
        position: 5,
        match: { kinds: ['inquiry'], channels: ['email'] },
        calendarId: 'prc-default',
        targets: { resolution: { minutes: 600, mode: 'calendar' } },
        reminders: [],
      })
      .expect(200);
    const item = await open({ kind: 'inquiry', channel: 'email', subject: 'what if', customer: { id: 'u_w' } });
    const draft = (minutes: number) => ({
      policyId: 'sms-what-if',
      policy: {
        name: 'What-if (tests)',
        position: 5,
        match: { kinds: ['inquiry'], channels: ['email'] },
        calendarId: 'prc-default',
        targets: { resolution: { minutes, mode: 'calendar' } },
        reminders: [],
      },
    });
    const stricter = await t.http.post('/v1/sla/what-if').set('Authorization', t.auth).send(draft(60)).expect(200);
    expect(stricter.body.items).toEqual([expect.objectContaining({ caseId: item.id, target: 'resolution', effect: 'earlier', wouldBreachNow: false })]);
    expect(Date.parse(stricter.body.items[0].draftDueAt)).toBeLessThan(Date.parse(stricter.body.items[0].currentDueAt));
    const gone = await t.http.post('/v1/sla/what-if').set('Authorization', t.auth).send(draft(0.0001)).expect(200);
    expect(gone.body.items[0]).toMatchObject({ effect: 'earlier', wouldBreachNow: true });
    expect(gone.body.summary).toMatchObject({ clocks: 1, earlier: 1, wouldBreachNow: 1 });
    const unchanged = await getCase(item.id);
    expect(unchanged.sla.clocks.find((c: { target: string }) => c.target === 'resolution').targetMinutes).toBe(600);
  });

  it('policies and calendars are validated, and bad ones change nothing', async () => {
    const before = await t.http.get('/v1/sla/policies').set('Authorization', t.auth).expect(200);
    const bad = await t.http
      .put('/v1/sla/policies/broken')
      .set('Authorization', t.auth)
      .send({ name: 'x', position: 1, match: { kinds: ['chargeback'] }, calendarId: 'prc-default', targets: { resolution: { minutes: -5, mode: 'calendar' } }, reminders: [] })
      .expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['match.kinds.0', 'targets.resolution.minutes']));
    const calendar = await t.http
      .put('/v1/sla/calendars/broken')
      .set('Authorization', t.auth)
      .send({ name: 'x', timeZone: 'Mars/Olympus', weeklyHours: {}, holidays: [], makeUpWorkdays: [] })
      .expect(400);
    expect(calendar.body.code).toBe('VALIDATION_FAILED');
    const after = await t.http.get('/v1/sla/policies').set('Authorization', t.auth).expect(200);
    expect(after.body).toEqual(before.body);
    const agent = await t.login('sla-agent@test.local', 'agent');
    await t.http.put('/v1/sla/policies/fast-weibo').set('Authorization', agent.auth).send({}).expect(403);
  });
});
