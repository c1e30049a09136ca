import { disputeBody, startTestApp, type TestApp } from '../support/test-app';

/**
 * A command holds a pool connection for its whole transaction. Anything it waits for inside that
 * transaction must not need a second connection, or a burst of commands as large as the pool
 * starves it: each holds one connection and waits for another that never comes (the benchmark saw
 * 0 transitions/s at 32 clients once the SLA catalogue's cache expired). With a pool of ONE
 * connection that wait is certain, so these pass only if no command path waits for a second one.
 */
describe('commands never wait for a second pool connection', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ DATABASE_POOL_MAX: '1' });
  });
  afterAll(() => t.close());

  it('opens and moves an SLA-tracked dispute with a one-connection pool, also after the SLA catalogue expired', async () => {
    const { body } = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201);
    const [tracked] = await t.sql<{ sla_policy_id: string | null }>('select sla_policy_id from cases where id = $1', [body.id]);
    expect(tracked.sla_policy_id).not.toBeNull();
    await t.http.post(`/v1/cases/${body.id}/assign`).set('Authorization', t.auth).send({ assigneeId: t.adminId }).expect(200);

    // The catalogue keeps policies and calendars for 5 s: from here on every command finds it expired.
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const forwarded = await t.http.post(`/v1/cases/${body.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 2 });
    expect({ status: forwarded.status, state: forwarded.body.state }).toEqual({ status: 200, state: 'awaitingMerchant' });
    const contested = await t.http
      .post(`/v1/cases/${body.id}/events`)
      .set('Authorization', t.auth)
      .send({ type: 'MERCHANT_CONTEST', expectedVersion: 3, payload: { summary: 'Courier tracking shows delivery' } });
    expect({ status: contested.status, state: contested.body.state }).toEqual({ status: 200, state: 'investigation.reviewing' });
    const clocks = await t.sql<{ target: string; status: string }>('select target, status from sla_clocks where case_id = $1 order by target', [body.id]);
    expect(clocks.length).toBeGreaterThan(0);
  }, 60_000);
});
