import type { ChildProcess } from 'node:child_process';
import { jobIds } from '@app/queues';
import { freePort, startRedis, stopRedis } from '../support/redis-server';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * Redis goes down under a running API with its workers: a command still commits and answers,
 * its rows wait in PostgreSQL, and once Redis is back (empty) the effects run and the deadline
 * comes back, from PostgreSQL.
 */
describe('Redis down while a command commits', () => {
  let t: TestApp;
  let port: number;
  let redis: ChildProcess;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    t = await startTestApp({ REDIS_PORT: String(port), RECONCILE_INTERVAL_MS: '1000', DISPUTE_MERCHANT_RESPONSE_SECONDS: '5' });
  });
  afterAll(async () => {
    if (redis.exitCode !== null) redis = await startRedis(port); // closing the app needs Redis
    await t.close();
    await stopRedis(redis);
  });

  it('POST an event → 200, its rows stay pending; Redis back → the effects run and the deadline fires', async () => {
    const { body: opened } = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201);
    // The opening's own effects (the customer's acknowledgement) ran while Redis was up; only the event's count below.
    const before = new Set((await t.sql<{ id: string }>(`select id from outbox where case_id = $1`, [opened.id])).map((row) => row.id));

    await stopRedis(redis);
    // A generous bound on the request itself (not a timing assertion): before, it hung until Redis came back.
    const forwarded = await t.http
      .post(`/v1/cases/${opened.id}/events`)
      .set('Authorization', t.auth)
      .timeout(30_000)
      .send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 })
      .expect(200);
    expect(forwarded.body).toMatchObject({ state: 'awaitingMerchant', version: 2 });

    const effects = (await t.sql<{ id: string; status: string }>(`select id, status from outbox where case_id = $1`, [opened.id])).filter((row) => !before.has(row.id));
    expect(effects.length).toBeGreaterThan(0);
    expect(effects.every((row) => row.status === 'pending')).toBe(true);
    const [window] = await t.sql<{ id: string }>(`select id from deadlines where case_id = $1 and name = 'merchantResponseWindow' and status = 'pending'`, [opened.id]);
    expect(window).toBeDefined();

    redis = await startRedis(port); // empty: nothing of what was enqueued before survives
    await waitFor(
      'every effect of the event to run',
      async () => (await t.sql<{ status: string }>(`select status from outbox where id = any($1)`, [effects.map((row) => row.id)])).every((row) => row.status === 'done'),
      30_000,
    );
    await waitFor(
      'the merchant window to be back in Redis or fired',
      async () => {
        const [row] = await t.sql<{ status: string }>(`select status from deadlines where id = $1`, [window!.id]);
        return row!.status === 'fired' || (await t.redis.exists(`${t.config.queues.prefix}:deadlines:${jobIds.deadline(window!.id)}`)) === 1;
      },
      30_000,
    );
    await waitFor(
      'the silent merchant to lose the dispute',
      async () => (await t.sql<{ state: string }>(`select state from cases where id = $1`, [opened.id]))[0]!.state === 'resolved',
      30_000,
    );
  });
});
