import { Client } from 'pg';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';
import { waitForLockWaiters } from '../support/lock-waiters';

describe('optimistic locking under concurrent commands', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('50 concurrent events with the same expectedVersion: exactly one 2xx, the rest 409, exactly one new event row', async () => {
    const { body: opened } = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201);
    const [{ n: eventsBefore }] = await t.sql<{ n: string }>('select count(*) as n from case_events where case_id = $1', [opened.id]);

    const responses = await Promise.all(
      Array.from({ length: 50 }, () => t.http.post(`/v1/cases/${opened.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 })),
    );

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(49);
    // Whether a loser saw the new version before or after the winner committed, it is told to reload.
    for (const response of responses.filter((r) => r.status === 409)) {
      expect(['VERSION_CONFLICT', 'EVENT_NOT_ALLOWED']).toContain(response.body.code);
    }
    const [{ n: eventsAfter }] = await t.sql<{ n: string }>('select count(*) as n from case_events where case_id = $1', [opened.id]);
    expect(Number(eventsAfter) - Number(eventsBefore)).toBe(1);
    const deadlines = await t.sql(`select status from deadlines where case_id = $1 and kind = 'machine'`, [opened.id]);
    expect(deadlines).toEqual([{ status: 'pending' }]);
    const [row] = await t.sql<{ version: number; state: string }>('select version, state from cases where id = $1', [opened.id]);
    expect(row).toEqual({ version: 2, state: 'awaitingMerchant' });
  });

  it('a command that waited for the case lock sees the deadlines and SLA clocks the holder of that lock committed', async () => {
    const { body: opened } = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201);
    const clocksOf = () =>
      t.sql<{ target: string; status: string; used_minutes: number }>(`select target, status, used_minutes from sla_clocks where case_id = $1 order by target`, [opened.id]);
    expect(await clocksOf()).toEqual([
      { target: 'firstResponse', status: 'running', used_minutes: 0 },
      { target: 'resolution', status: 'running', used_minutes: 0 },
    ]);
    // Another transaction holds the case (as a command or a deadline firing would) and adds a deadline.
    const holder = new Client({ connectionString: t.config.database.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select 1 from cases where id = $1 for update', [opened.id]);
      await holder.query(
        `insert into deadlines (id, case_id, kind, name, send_id, event, due_at, status, created_at)
         values (gen_random_uuid(), $1, 'machine', 'holderWindow', 'test.holder', '{"type":"TEST_HOLDER"}', now() + interval '1 day', 'pending', now())`,
        [opened.id],
      );
      // The clocks too: a command that read them before the holder committed would write its stale
      // used minutes back over the holder's on every clock it changes.
      await holder.query(`update sla_clocks set used_minutes = used_minutes + 1000 where case_id = $1`, [opened.id]);
      const forwarding = t.http
        .post(`/v1/cases/${opened.id}/events`)
        .set('Authorization', t.auth)
        .send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 })
        .then((response) => response);
      await waitForLockWaiters('the command to wait for the case lock', holder, 1, (text, params) => t.sql(text, params));
      await holder.query('commit');
      const forwarded = await forwarding;
      expect(forwarded.status).toBe(200);
      // Built from the rows the command read after it got the lock: the holder's deadline is there.
      expect(forwarded.body.deadlines.map((deadline: { name: string }) => deadline.name).sort()).toEqual(['holderWindow', 'merchantResponseWindow']);
      // The command changed (and wrote back) both clocks from the holder's 1,000 minutes: the first
      // response is late by them, the resolution clock paused with them (waiting on the merchant).
      const clocksAfter = await clocksOf();
      expect(clocksAfter.map(({ target, status }) => ({ target, status }))).toEqual([
        { target: 'firstResponse', status: 'breached' },
        { target: 'resolution', status: 'paused' },
      ]);
      for (const clock of clocksAfter) expect({ target: clock.target, atLeastTheHolders: clock.used_minutes >= 1000 }).toEqual({ target: clock.target, atLeastTheHolders: true });
    } finally {
      await holder.end();
    }
  });
});
