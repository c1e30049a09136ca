import { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlDriver } from '@mikro-orm/knex';
import { Migration20261203130000SlaAlwaysOnCalendar } from '../../libs/db/src/migrations/Migration20261203130000SlaAlwaysOnCalendar';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const SECONDS = 1 / 60;
const URGENT_MATCH = { anyOf: [{ priorities: ['urgent'] }, { kinds: ['account_security'], securityReports: ['stolen_account'] }] };

/**
 * A stolen account is urgent around the clock: the default urgent policy matches it (whatever
 * priority it was opened with) on the 24/7 calendar, and its first-response clock runs from the
 * first second (account_security v2 does not open waiting on the customer), so it reminds and
 * breaches like any other running clock.
 */
describe('SLA of stolen accounts', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ RECONCILE_INTERVAL_MS: '500' });
  });
  afterAll(() => t.close());

  const open = (body: Record<string, unknown>) => t.http.post('/v1/cases').set('Authorization', t.auth).send(body);
  const getCase = async (id: string) => (await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200)).body;
  const policies = async () => (await t.http.get('/v1/sla/policies').set('Authorization', t.auth).expect(200)).body.data as Array<Record<string, any>>;

  it('ships the 24/7 calendar, with the urgent default on it matching stolen accounts', async () => {
    const calendars = (await t.http.get('/v1/sla/calendars').set('Authorization', t.auth).expect(200)).body.data as Array<Record<string, any>>;
    const alwaysOn = calendars.find((calendar) => calendar.id === 'always-on');
    expect(alwaysOn?.weeklyHours).toEqual(Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((day) => [String(day), [{ start: '00:00', end: '24:00' }]])));
    expect(alwaysOn?.holidays).toEqual([]);
    expect((await policies()).find((policy) => policy.id === 'urgent')).toMatchObject({ calendarId: 'always-on', match: URGENT_MATCH, active: true });
  });

  it('the migration moves an untouched urgent default onto the new calendar, and leaves an edited one alone', async () => {
    const orm = t.app.get(MikroORM);
    const migrationSql = async (): Promise<string[]> => {
      const migration = new Migration20261203130000SlaAlwaysOnCalendar(orm.em.getDriver() as unknown as AbstractSqlDriver, orm.config);
      await migration.up();
      return migration.getQueries().map((query) => (typeof query === 'string' ? query : query.toString()));
    };
    const urgentRow = async () => (await t.sql<{ calendar_id: string; match: unknown }>(`select calendar_id, match from sla_policies where id = 'urgent'`))[0];
    const asShippedBefore = `update sla_policies set calendar_id = 'prc-default', match = '{"priorities":["urgent"]}' where id = 'urgent'`;

    await t.sql(asShippedBefore);
    for (const sql of await migrationSql()) await t.sql(sql);
    expect(await urgentRow()).toEqual({ calendar_id: 'always-on', match: URGENT_MATCH });

    // An admin shortened the first response: the edit stands.
    await t.sql(asShippedBefore);
    await t.sql(`update sla_policies set targets = jsonb_set(targets, '{firstResponse,minutes}', '15') where id = 'urgent'`);
    for (const sql of await migrationSql()) await t.sql(sql);
    expect(await urgentRow()).toEqual({ calendar_id: 'prc-default', match: { priorities: ['urgent'] } });
    await t.sql(`update sla_policies set targets = jsonb_set(targets, '{firstResponse,minutes}', '30'), calendar_id = 'always-on', match = $1 where id = 'urgent'`, [
      JSON.stringify(URGENT_MATCH),
    ]);
  });

  it('a stolen account opened at normal priority runs a first-response clock that reminds and breaches', async () => {
    // The urgent default with targets of seconds, in business minutes of the 24/7 calendar: they
    // count at whatever hour and day this test runs.
    const urgent = (await policies()).find((policy) => policy.id === 'urgent')!;
    await t.http
      .put('/v1/sla/policies/urgent')
      .set('Authorization', t.auth)
      .send({
        name: urgent.name,
        position: urgent.position,
        match: urgent.match,
        calendarId: 'always-on',
        targets: { firstResponse: { minutes: 4 * SECONDS, mode: 'business' }, resolution: { minutes: 60, mode: 'business' } },
        reminders: [{ kind: 'fraction', fraction: 0.5 }],
      })
      .expect(200);

    // An old caller: no securityReport means a stolen account.
    const opened = (await open({ kind: 'account_security', channel: 'hotline', priority: 'normal', subject: 'Someone else logged in', customer: { id: 'u_stolen_1' } }).expect(201))
      .body;
    expect(opened.details).toMatchObject({ securityReport: 'stolen_account' });
    expect(opened.machineVersion).toBe(4);
    expect(opened.sla.policyId).toBe('urgent');
    const firstResponse = opened.sla.clocks.find((clock: { target: string }) => clock.target === 'firstResponse');
    expect(firstResponse).toMatchObject({ status: 'running', paused: false });

    const breached = await waitFor('the first-response clock to breach', async () => {
      const current = await getCase(opened.id);
      const clock = current.sla.clocks.find((c: { target: string }) => c.target === 'firstResponse');
      return clock.status === 'breached' ? { current, clock } : undefined;
    });
    expect(breached.clock).toMatchObject({ remindersSent: ['reminder-50pct'], breachedAt: expect.any(String) });
    expect(breached.current.priority).toBe('high');
    expect(breached.current.escalatedAt).not.toBeNull();
    // The wallet confirmed the freeze meanwhile (a system event, which meets no first response).
    expect(breached.current.state).toBe('frozen.verifyingIdentity');
    // The SLA's own inbox entries (the machine's notifications to the agents land there too).
    const reminders = await t.sql<{ type: string }>(`select type from notifications where case_id = $1 and type like 'sla.%' order by created_at`, [opened.id]);
    expect(reminders.map((row) => row.type)).toEqual(['sla.reminder', 'sla.breached']);
  });

  it('a forgotten password is not urgent: the standard policy on office hours', async () => {
    const opened = (
      await open({ kind: 'account_security', channel: 'chat', subject: 'Forgot my password', customer: { id: 'u_forgot_1' }, securityReport: 'forgotten_password' }).expect(201)
    ).body;
    expect(opened.sla.policyId).toBe('standard');
    expect(opened.state).toBe('verifyingForReset.verifyingIdentity');
    expect(opened.sla.clocks.every((clock: { paused: boolean }) => !clock.paused)).toBe(true);
  });

  it('refuses a securityReport that is unknown or on another kind, with nothing written', async () => {
    const before = await t.sql<{ n: string }>(`select count(*) as n from cases`);
    const unknown = await open({ kind: 'account_security', channel: 'chat', subject: 'x', customer: { id: 'u_x' }, securityReport: 'lost_phone' }).expect(400);
    expect(unknown.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    const onInquiry = await open({ kind: 'inquiry', channel: 'chat', subject: 'x', customer: { id: 'u_x' }, securityReport: 'stolen_account' }).expect(400);
    expect(onInquiry.body).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'securityReport', message: expect.any(String) }] });
    expect(await t.sql<{ n: string }>(`select count(*) as n from cases`)).toEqual(before);
  });

  it('takes the report through the intake API too', async () => {
    const response = await t.http
      .post('/v1/intake/cases')
      .set('Authorization', t.intakeAuth)
      .set('Idempotency-Key', `intake-forgot-${Date.now()}`)
      .send({
        kind: 'account_security',
        subject: 'Forgot my password',
        customer: { id: 'u_forgot_2' },
        transactionRef: `TX-FORGOT-${Date.now()}`,
        securityReport: 'forgotten_password',
      })
      .expect(200);
    expect(response.body.case).toMatchObject({ machineVersion: 4, state: 'verifyingForReset.verifyingIdentity', details: { securityReport: 'forgotten_password' } });
  });
});
