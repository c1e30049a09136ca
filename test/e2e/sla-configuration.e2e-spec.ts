import { MikroORM } from '@mikro-orm/postgresql';
import { ensureSlaDefaults, ormOptions } from '@app/db';
import { applyYearSchedule, DEFAULT_BUSINESS_CALENDAR, parseYearScheduleFile, type BusinessCalendar } from '@app/domain';
import { Migration20261203200100CalendarShippedDefinition } from '../../libs/db/src/migrations/Migration20261203200100CalendarShippedDefinition';
import { disputeBody, startTestApp, type TestApp, type TestMerchant } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver } from '../support/webhook-receiver';

const ICS_2027 = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//e2e//holidays//EN',
  'X-WR-CALNAME:2027 schedule (test)',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20270101',
  'DTEND;VALUE=DATE:20270104',
  'SUMMARY:元旦',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20270206',
  'DTEND;VALUE=DATE:20270213',
  'SUMMARY:春节',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20270214',
  'SUMMARY:春节 补班',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

/**
 * The configuration routes the admin UI's SLA and merchant pages use beyond plain policy and
 * calendar edits: a year's schedule imported from a file, the shipped calendars kept current by
 * `db:migrate` unless edited, and a merchant's webhook endpoints and deliveries for admins.
 */
describe('SLA and merchant configuration for admins', () => {
  let t: TestApp;
  let supervisor: string;
  let agent: string;

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_RETRY_DELAYS_MS: '200,300', WEBHOOK_TIMEOUT_MS: '2000' });
    supervisor = (await t.login('config.supervisor@test.local', 'supervisor')).auth;
    agent = (await t.login('config.agent@test.local', 'agent')).auth;
  });
  afterAll(() => t?.close());

  const calendarRow = async (id: string) =>
    (
      await t.sql<{ definition: BusinessCalendar; shipped_definition: BusinessCalendar | null }>(`select definition, shipped_definition from business_calendars where id = $1`, [
        id,
      ])
    )[0];
  const importAs = (auth: string, id: string, body: Record<string, unknown>) => t.http.post(`/v1/sla/calendars/${id}/schedule-import`).set('Authorization', auth).send(body);
  const newCalendar = async (id: string) =>
    t.http
      .put(`/v1/sla/calendars/${id}`)
      .set('Authorization', t.auth)
      .send({ ...DEFAULT_BUSINESS_CALENDAR, id: undefined, name: `Copy ${id}` })
      .expect(200);

  describe('importing a year of holidays', () => {
    it('replaces that year from an iCalendar file, records the year as confirmed and audits the import', async () => {
      await newCalendar('import-ics');
      const response = await importAs(t.auth, 'import-ics', { year: 2027, format: 'ics', content: ICS_2027 }).expect(200);
      const stored = (await calendarRow('import-ics'))!.definition;
      expect(response.body).toEqual(stored);
      expect(stored.holidays.filter((holiday) => holiday.date.startsWith('2027-')).map((holiday) => holiday.date)).toEqual([
        '2027-01-01',
        '2027-01-02',
        '2027-01-03',
        '2027-02-06',
        '2027-02-07',
        '2027-02-08',
        '2027-02-09',
        '2027-02-10',
        '2027-02-11',
        '2027-02-12',
      ]);
      expect(stored.makeUpWorkdays.filter((day) => day.date.startsWith('2027-'))).toEqual([{ date: '2027-02-14', name: '春节 补班' }]);
      // 2026 is as shipped.
      expect(stored.holidays.filter((holiday) => holiday.date.startsWith('2026-'))).toEqual(
        DEFAULT_BUSINESS_CALENDAR.holidays.filter((holiday) => holiday.date.startsWith('2026-')),
      );
      expect(stored.schedules).toEqual([expect.objectContaining({ year: 2026, status: 'confirmed' }), { year: 2027, status: 'confirmed', source: '2027 schedule (test)' }]);
      const audit = await t.http.get('/v1/admin/audit-log?targetType=business_calendar&targetId=import-ics').set('Authorization', t.auth).expect(200);
      expect(audit.body.data[0]).toMatchObject({
        action: 'business_calendar.schedule_imported',
        details: { year: 2027, status: 'confirmed', format: 'ics', holidays: 10, makeUpWorkdays: 1 },
      });
      // The list the admin UI reads shows it.
      const listed = await t.http.get('/v1/sla/calendars?limit=200').set('Authorization', agent).expect(200);
      expect((listed.body.data as BusinessCalendar[]).find((calendar) => calendar.id === 'import-ics')).toEqual(stored);
    });

    it('reads a JSON file, provisional when it says so', async () => {
      await newCalendar('import-json');
      const content = JSON.stringify({ year: 2028, provisional: true, holidays: [{ date: '2028-01-01', name: '元旦' }], makeUpWorkdays: [] });
      const response = await importAs(t.auth, 'import-json', { year: 2028, format: 'json', content }).expect(200);
      expect(response.body.schedules).toContainEqual({ year: 2028, status: 'provisional' });
      expect(response.body.holidays).toContainEqual({ date: '2028-01-01', name: '元旦' });
    });

    it('refuses a malformed file, dates of another year, bad fields and an unknown calendar, and changes nothing', async () => {
      await newCalendar('import-bad');
      const before = await calendarRow('import-bad');
      const refusals: Array<[Record<string, unknown>, number, string, string?]> = [
        [{ year: 2027, format: 'ics', content: 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR' }, 400, 'VALIDATION_FAILED', 'content.line2'],
        [{ year: 2027, format: 'ics', content: 'not a calendar at all' }, 400, 'VALIDATION_FAILED', 'content.line1'],
        [{ year: 2026, format: 'ics', content: ICS_2027 }, 400, 'VALIDATION_FAILED', 'content.holidays.0.date'],
        [{ year: 2027, format: 'json', content: '{"holidays": [' }, 400, 'VALIDATION_FAILED', 'content'],
        [{ year: 2027, format: 'xml', content: ICS_2027 }, 400, 'VALIDATION_FAILED', 'format'],
        [{ year: 'next', format: 'ics', content: ICS_2027 }, 400, 'VALIDATION_FAILED', 'year'],
        [{ year: 2027, format: 'ics' }, 400, 'VALIDATION_FAILED', 'content'],
      ];
      for (const [body, status, code, path] of refusals) {
        const response = await importAs(t.auth, 'import-bad', body).expect(status);
        expect(response.body.code).toBe(code);
        if (path) expect((response.body.fields as Array<{ path: string }>).map((field) => field.path)).toContain(path);
      }
      expect((await importAs(t.auth, 'no-such-calendar', { year: 2027, format: 'ics', content: ICS_2027 }).expect(404)).body.code).toBe('NOT_FOUND');
      expect(await calendarRow('import-bad')).toEqual(before);
      const audit = await t.sql(`select 1 from admin_audit_log where target_id = 'import-bad' and action = 'business_calendar.schedule_imported'`);
      expect(audit).toEqual([]);
    });

    it('is for admins only', async () => {
      const body = { year: 2027, format: 'ics', content: ICS_2027 };
      expect((await importAs(supervisor, 'prc-default', body).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await importAs(agent, 'prc-default', body).expect(403)).body.code).toBe('FORBIDDEN');
      await t.http.post('/v1/sla/calendars/prc-default/schedule-import').send(body).expect(401);
    });
  });

  describe('shipped calendars and db:migrate', () => {
    const corrected = (year: number, source: string) =>
      applyYearSchedule(DEFAULT_BUSINESS_CALENDAR, parseYearScheduleFile('json', JSON.stringify({ source, holidays: [{ date: `${year}-10-01`, name: '国庆节' }] }), year));

    it('brings corrected shipped data to a calendar nobody edited, and never overwrites an edited one', async () => {
      const fresh = (await calendarRow('prc-default'))!;
      expect(fresh.shipped_definition).toEqual(fresh.definition);

      const release2 = corrected(2027, 'release 2');
      expect(await ensureSlaDefaults(t.config.database.url, [release2])).toEqual({ inserted: 0, upgraded: ['prc-default'], keptEdited: [] });
      expect((await calendarRow('prc-default'))!.definition).toEqual(release2);
      // Running it again changes nothing.
      expect(await ensureSlaDefaults(t.config.database.url, [release2])).toEqual({ inserted: 0, upgraded: [], keptEdited: [] });

      // An admin edits the calendar (an import); the next release's data is not applied to it.
      await importAs(t.auth, 'prc-default', { year: 2028, format: 'ics', content: ICS_2027.replace(/2027/g, '2028') }).expect(200);
      const edited = (await calendarRow('prc-default'))!.definition;
      expect(await ensureSlaDefaults(t.config.database.url, [corrected(2029, 'release 3')])).toEqual({ inserted: 0, upgraded: [], keptEdited: ['prc-default'] });
      expect((await calendarRow('prc-default'))!.definition).toEqual(edited);

      // A calendar a release ships for the first time is added, as shipped.
      const added = { ...DEFAULT_BUSINESS_CALENDAR, id: 'shipped-later', name: 'Shipped later' };
      expect(await ensureSlaDefaults(t.config.database.url, [added])).toEqual({ inserted: 1, upgraded: [], keptEdited: [] });
      const row = (await calendarRow('shipped-later'))!;
      expect(row.definition).toEqual(JSON.parse(JSON.stringify(added)));
      expect(row.shipped_definition).toEqual(row.definition);
    });

    it('the migration recognises calendars installed by earlier releases as unedited, and edited ones as edited', async () => {
      // The calendars as the previous release shipped them (no schedules), one untouched and one edited.
      const { schedules: _schedules, ...previous } = DEFAULT_BUSINESS_CALENDAR;
      await t.sql(`delete from business_calendars where id in ('old-untouched', 'old-edited')`);
      await t.sql(`alter table business_calendars drop column shipped_definition`);
      await t.sql(`update business_calendars set definition = $1 where id = 'prc-default'`, [JSON.stringify(previous)]);
      await t.sql(`update business_calendars set definition = jsonb_set(definition, '{name}', '"edited by an admin"') where id = 'always-on'`);
      const orm = await MikroORM.init(ormOptions(t.config.database.url, { pool: { min: 0, max: 1 } }));
      try {
        const migration = new Migration20261203200100CalendarShippedDefinition(orm.em.getDriver(), orm.config);
        await migration.up();
        for (const query of migration.getQueries()) await orm.em.getConnection().execute(query as string);
      } finally {
        await orm.close(true);
      }
      expect((await calendarRow('prc-default'))!.shipped_definition).toEqual(previous);
      expect((await calendarRow('always-on'))!.shipped_definition).toBeNull();
      const result = await ensureSlaDefaults(t.config.database.url);
      expect(result.upgraded).toEqual(['prc-default']);
      expect(result.keptEdited).toEqual(['always-on']);
      expect((await calendarRow('prc-default'))!.definition).toEqual(JSON.parse(JSON.stringify(DEFAULT_BUSINESS_CALENDAR)));
      expect((await calendarRow('always-on'))!.definition.name).toBe('edited by an admin');
    });
  });

  describe("a merchant's webhooks, for admins", () => {
    let merchant: TestMerchant;
    let other: TestMerchant;
    let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
    let endpointId: string;

    beforeAll(async () => {
      merchant = await t.createMerchant();
      other = await t.createMerchant();
      receiver = await startWebhookReceiver(() => 200);
      endpointId = (
        await t.http
          .post('/v1/merchant/webhook-endpoints')
          .set('Authorization', merchant.auth)
          .send({ url: receiver.url, events: ['*'] })
          .expect(200)
      ).body.id;
      const { body } = await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send(disputeBody({ merchantId: merchant.id }))
        .expect(201);
      await t.http.post(`/v1/cases/${body.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
      await waitFor('the delivery to be accepted', async () => receiver.accepted().length >= 1, 20_000);
      // The worker records the attempt after the receiver has answered: on a busy machine the row can still read pending here.
      await waitFor(
        'the delivery attempt to be recorded',
        async () => {
          const listed = await t.http.get(`/v1/admin/merchants/${merchant.id}/webhook-deliveries?endpoint_id=${endpointId}`).set('Authorization', t.auth);
          return (listed.body.data as Array<{ status: string }> | undefined)?.some((delivery) => delivery.status !== 'pending') ?? false;
        },
        20_000,
      );
    });
    afterAll(() => receiver?.close());

    it('lists the endpoints and the deliveries with their attempts, and replays one', async () => {
      const endpoints = await t.http.get(`/v1/admin/merchants/${merchant.id}/webhook-endpoints`).set('Authorization', t.auth).expect(200);
      expect(endpoints.body.data).toEqual([expect.objectContaining({ id: endpointId, url: receiver.url, status: 'enabled' })]);
      expect(JSON.stringify(endpoints.body)).not.toContain('whsec_');
      const deliveries = await t.http.get(`/v1/admin/merchants/${merchant.id}/webhook-deliveries?endpoint_id=${endpointId}`).set('Authorization', t.auth).expect(200);
      const [delivery] = deliveries.body.data as Array<{ id: string; event_id: string; event_type: string; status: string; attempts: unknown[] }>;
      expect(delivery).toMatchObject({ event_type: 'dispute.awaiting_merchant', status: 'succeeded' });
      expect(delivery!.attempts).toHaveLength(1);

      const replayed = await t.http.post(`/v1/admin/merchants/${merchant.id}/webhook-deliveries/${delivery!.id}/replay`).set('Authorization', t.auth).expect(200);
      expect(replayed.body).toMatchObject({ id: delivery!.id, event_id: delivery!.event_id });
      const again = await waitFor(
        'the replay to arrive',
        async () => receiver.accepted().filter((request) => request.headers['webhook-id'] === delivery!.event_id).length >= 2,
        20_000,
      );
      expect(again).toBe(true);
      // Another merchant sees none of it.
      expect((await t.http.get(`/v1/admin/merchants/${other.id}/webhook-deliveries`).set('Authorization', t.auth).expect(200)).body.data).toEqual([]);
    });

    it('refuses bad input, another merchant’s delivery, and anyone but an admin', async () => {
      const deliveries = await t.http.get(`/v1/admin/merchants/${merchant.id}/webhook-deliveries`).set('Authorization', t.auth).expect(200);
      const deliveryId = (deliveries.body.data as Array<{ id: string }>)[0]!.id;
      expect((await t.http.post(`/v1/admin/merchants/${other.id}/webhook-deliveries/${deliveryId}/replay`).set('Authorization', t.auth).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await t.http.post(`/v1/admin/merchants/${merchant.id}/webhook-deliveries/not-a-uuid/replay`).set('Authorization', t.auth).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await t.http.get(`/v1/admin/merchants/${merchant.id}/webhook-deliveries?limit=500`).set('Authorization', t.auth).expect(400)).body.code).toBe('VALIDATION_FAILED');
      expect((await t.http.get(`/v1/admin/merchants/${merchant.id}/webhook-deliveries?endpoint_id=nope`).set('Authorization', t.auth).expect(404)).body.code).toBe('NOT_FOUND');
      for (const auth of [supervisor, agent]) {
        expect((await t.http.get(`/v1/admin/merchants/${merchant.id}/webhook-endpoints`).set('Authorization', auth).expect(403)).body.code).toBe('FORBIDDEN');
        expect((await t.http.get(`/v1/admin/merchants/${merchant.id}/webhook-deliveries`).set('Authorization', auth).expect(403)).body.code).toBe('FORBIDDEN');
        expect((await t.http.post(`/v1/admin/merchants/${merchant.id}/webhook-deliveries/${deliveryId}/replay`).set('Authorization', auth).expect(403)).body.code).toBe(
          'FORBIDDEN',
        );
      }
      await t.http.get(`/v1/admin/merchants/${merchant.id}/webhook-endpoints`).expect(401);
      // The merchant's own key is not an agent session.
      await t.http.get(`/v1/admin/merchants/${merchant.id}/webhook-endpoints`).set('Authorization', merchant.auth).expect(401);
    });
  });
});
