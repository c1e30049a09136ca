import { disputeBody, startTestApp, type TestApp } from '../support/test-app';

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
      Array.from({ length: 50 }, () =>
        t.http.post(`/v1/cases/${opened.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }),
      ),
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
});
