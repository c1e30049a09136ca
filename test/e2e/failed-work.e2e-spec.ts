import { MikroORM, RequestContext } from '@mikro-orm/core';
import { FireDeadline } from '@app/cases';
import { Reconciler } from '@app/workers';
import { disputeBody, startTestApp, type TestApp, type TestMerchant } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * The work BullMQ gave up on, listed by case for the supervisors who redrive it: real failures
 * (an effect the worker has no handler for, a deadline given up on the way BullMQ's failed
 * handler gives up), read over HTTP, redriven off the list.
 */
describe('failed work, listed for supervisors', () => {
  let t: TestApp;
  let merchant: TestMerchant;
  let supervisor: string;
  let agent: string;

  beforeAll(async () => {
    t = await startTestApp();
    merchant = await t.createMerchant();
    supervisor = (await t.login('supervisor@test.local', 'supervisor')).auth;
    agent = (await t.login('agent@test.local', 'agent')).auth;
  });
  afterAll(() => t.close());

  /** A dispute waiting for the merchant's answer: its response window is a pending machine deadline. */
  async function forwardedDispute(): Promise<{ id: string; state: string; subject: string }> {
    const { body } = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ merchantId: merchant.id }))
      .expect(201);
    const forwarded = await t.http.post(`/v1/cases/${body.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
    return { id: body.id as string, state: forwarded.body.state as string, subject: body.subject as string };
  }

  const failedWork = (query = '') => t.http.get(`/v1/failed-work${query}`).set('Authorization', supervisor);
  const giveUp = (id: string) => RequestContext.create(t.app.get(MikroORM).em, () => t.app.get(FireDeadline).giveUp(id));

  it('lists each case with failed effects or deadlines, the longest waiting first, and a redrive takes it off', async () => {
    expect((await failedWork().expect(200)).body).toEqual({ data: [], total: 0 });
    const withEffect = await forwardedDispute();
    const withDeadline = await forwardedDispute();
    const untouched = await forwardedDispute();

    // An effect no handler knows: the worker fails it for good at its first attempt.
    const [effect] = await t.sql<{ id: string; created_at: Date }>(
      `insert into outbox (id, case_id, type, payload) values (gen_random_uuid(), $1, 'noSuchEffect', '{}') returning id, created_at`,
      [withEffect.id],
    );
    await t.app.get(Reconciler).reconcileOnce();
    await waitFor(
      'the unknown effect to be marked failed',
      async () => (await t.sql<{ status: string }>(`select status from outbox where id = $1`, [effect!.id]))[0]!.status === 'failed',
    );
    // The merchant's response window, given up on (its due time is days away: it waited less).
    const [window] = await t.sql<{ id: string; name: string; due_at: Date }>(
      `select id, name, due_at from deadlines where case_id = $1 and status = 'pending' and kind = 'machine'`,
      [withDeadline.id],
    );
    await giveUp(window!.id);

    const listed = (await failedWork().expect(200)).body;
    expect(listed).toEqual({
      total: 2,
      data: [
        {
          caseId: withEffect.id,
          kind: 'dispute',
          state: withEffect.state,
          subject: withEffect.subject,
          livemode: true,
          oldestAt: effect!.created_at.toISOString(),
          effects: [{ id: effect!.id, type: 'noSuchEffect', attempts: 1, lastError: 'No handler for effect type "noSuchEffect"', writtenAt: effect!.created_at.toISOString() }],
          deadlines: [],
        },
        {
          caseId: withDeadline.id,
          kind: 'dispute',
          state: withDeadline.state,
          subject: withDeadline.subject,
          livemode: true,
          oldestAt: window!.due_at.toISOString(),
          effects: [],
          deadlines: [{ id: window!.id, kind: 'machine', name: window!.name, dueAt: window!.due_at.toISOString() }],
        },
      ],
    });
    expect(listed.data.map((item: { caseId: string }) => item.caseId)).not.toContain(untouched.id);

    // A limit lists the longest waiting; the total still counts them all.
    const first = (await failedWork('?limit=1').expect(200)).body;
    expect(first.data.map((item: { caseId: string }) => item.caseId)).toEqual([withEffect.id]);
    expect(first.total).toBe(2);

    // Redriven, the deadline is pending again and its case leaves the list.
    const redriven = await t.http.post(`/v1/cases/${withDeadline.id}/deadlines/redrive`).set('Authorization', supervisor).expect(200);
    expect(redriven.body).toEqual({ redriven: [window!.id], settledAsStale: [] });
    const after = (await failedWork().expect(200)).body;
    expect(after.data.map((item: { caseId: string }) => item.caseId)).toEqual([withEffect.id]);
    expect(after.total).toBe(1);
  });

  it('is for supervisors, and refuses a bad limit with a 400', async () => {
    const refused = await t.http.get('/v1/failed-work').set('Authorization', agent).expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    await t.http.get('/v1/failed-work').expect(401);
    for (const limit of ['0', '501', 'ten', '1.5']) {
      const bad = await failedWork(`?limit=${limit}`).expect(400);
      expect({ limit, code: bad.body.code, path: bad.body.fields?.[0]?.path }).toEqual({ limit, code: 'VALIDATION_FAILED', path: 'limit' });
    }
  });
});
