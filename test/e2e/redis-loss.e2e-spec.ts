import { jobIds } from '@app/queues';
import { Reconciler } from '@app/workers';
import type { ChildProcess } from 'node:child_process';
import { freePort, startRedis, stopRedis } from '../support/redis-server';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

describe('Redis loses everything (FLUSHALL) while deadlines are pending', () => {
  let t: TestApp;
  let redis: ChildProcess;
  beforeAll(async () => {
    // A redis-server of this file's own: FLUSHALL must not touch the test files running beside it.
    const port = await freePort();
    redis = await startRedis(port);
    // Windows long enough to flush before they fire, on a loaded machine too (with 4 s, opening and
    // forwarding the eight disputes and their effects once took longer: every window had fired
    // before the flush); the reconciler runs every 500 ms.
    t = await startTestApp({ DISPUTE_MERCHANT_RESPONSE_SECONDS: '10', RECONCILE_INTERVAL_MS: '500', REDIS_PORT: String(port) });
  });
  afterAll(async () => {
    await t?.close();
    if (redis) await stopRedis(redis);
  });

  it('every pending deadline comes back from PostgreSQL and fires exactly once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const { body } = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201);
      await t.http.post(`/v1/cases/${body.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
      ids.push(body.id);
    }
    // Pending deadlines whose job Redis lacks, among those that should have one: every machine
    // deadline and the earliest pending alarm of each SLA clock or window (the others wait their
    // turn without a job), due within the job horizon (those further ahead have none yet).
    // Compared row by row, not by counting keys: on a busy machine an early reminder may fire
    // while the cases are opened, and its finished job keeps a key.
    const pendingWithoutJob = async () => {
      const pending = await t.sql<{ id: string }>(
        `select id from (
           select id, due_at, row_number() over (
             partition by case when kind = 'sla' then coalesce(sla_clock_id::text, send_id) else id::text end order by due_at, id) as place
           from deadlines where status = 'pending') heads
          where place = 1 and due_at <= now() + $1 * interval '1 millisecond'`,
        [t.config.workers.deadlineJobHorizonMs],
      );
      const keys = new Set(await t.redis.keys(`${t.config.queues.prefix}:deadlines:dl-*`));
      return { pending: pending.length, missing: pending.filter((row) => !keys.has(`${t.config.queues.prefix}:deadlines:${jobIds.deadline(row.id)}`)).length };
    };
    // The commands' effects finish first: a notification may still wait in its send window
    // (EFFECT_BATCH_WINDOW_MS) after its command answered, and its job would land after the flush.
    await waitFor('the effects of the commands to be done', async () => {
      const [{ n }] = await t.sql<{ n: string }>(`select count(*) as n from outbox where case_id = any($1) and status <> 'done'`, [ids]);
      return Number(n) === 0;
    });
    // Eight merchant windows, plus any SLA alarms still running (the resolution clock pauses while the merchant is asked).
    const before = await pendingWithoutJob();
    expect(before.pending).toBeGreaterThanOrEqual(8);
    expect(before.missing).toBe(0);

    // The reconciler runs on its own timer, in this process: a pass that began just before the
    // FLUSHALL would put jobs back before the test looked. So the test takes the pass's lock once no
    // pass holds it, and keeps it (the flush and the lock in one transaction) until it has looked.
    const lockKey = `${t.config.queues.prefix}:reconcile-lock`;
    await waitFor('no reconciler pass to be running', async () => (await t.redis.set(lockKey, 'redis-loss-test', 'PX', 30_000, 'NX')) === 'OK');
    try {
      await t.redis.multi().flushall().set(lockKey, 'redis-loss-test', 'PX', 30_000).exec();
      // Nothing of the queues is left but that lock (and a worker's stalled-jobs check, which runs on
      // a timer of its own and holds no job).
      const left = await t.redis.keys(`${t.config.queues.prefix}*`);
      expect(left.filter((key) => key !== lockKey && !key.endsWith(':stalled-check'))).toEqual([]);
      expect((await pendingWithoutJob()).missing).toBeGreaterThanOrEqual(8);
    } finally {
      await t.redis.del(lockKey);
    }

    await waitFor('the reconciler to restore the delayed jobs', async () => (await pendingWithoutJob()).missing === 0);
    // An extra pass while the jobs are back must not duplicate them.
    await t.app.get(Reconciler).reconcileOnce();

    await waitFor(
      'every merchant window to fire and the refunds to settle',
      async () => {
        const rows = await t.sql<{ n: string }>(`select count(*) as n from cases where id = any($1) and state = 'resolved'`, [ids]);
        return Number(rows[0]!.n) === ids.length;
      },
      20_000,
    );
    const fired = await t.sql<{ case_id: string; n: string }>(
      `select case_id, count(*) as n from case_events where case_id = any($1) and type like 'xstate.after.merchantResponseWindow.%' group by case_id`,
      [ids],
    );
    expect(fired).toHaveLength(ids.length);
    expect(fired.every((row) => row.n === '1')).toBe(true);
    const refunds = await t.sql<{ n: string }>(`select count(*) as n from refunds where case_id = any($1)`, [ids]);
    expect(Number(refunds[0]!.n)).toBe(ids.length);
  });
});
