import { Migration } from '@mikro-orm/migrations';

/**
 * Ships the 24/7 business calendar (`always-on`) and moves the default urgent policy onto it,
 * matching stolen accounts as well as urgent priority. The JSON is written out here, not imported,
 * so this migration keeps doing what it did when the defaults change later.
 *
 * An admin's policy is never overwritten: the urgent policy is updated only while it is exactly
 * the default shipped before (name, position, active, calendar, match, targets, reminders); one
 * that was edited keeps the edit, and the README says how to add the stolen-account match by hand.
 */
const ALWAYS_ON = {
  id: 'always-on',
  name: '全天候 24/7',
  timeZone: 'Asia/Shanghai',
  weeklyHours: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((day) => [day, [{ start: '00:00', end: '24:00' }]])),
  holidays: [],
  makeUpWorkdays: [],
};

const URGENT_BEFORE = {
  calendarId: 'prc-default',
  match: { priorities: ['urgent'] },
};

const URGENT_AFTER = {
  calendarId: 'always-on',
  match: { anyOf: [{ priorities: ['urgent'] }, { kinds: ['account_security'], securityReports: ['stolen_account'] }] },
};

/** The rest of the urgent default as shipped, unchanged by this migration. */
const URGENT_UNCHANGED = `
  id = 'urgent' and name = 'Urgent and account security' and position = 10 and active
  and targets = '${JSON.stringify({ firstResponse: { minutes: 30, mode: 'calendar' }, resolution: { minutes: 480, mode: 'business' } })}'::jsonb
  and reminders = '${JSON.stringify([
    { kind: 'fraction', fraction: 0.5 },
    { kind: 'fraction', fraction: 0.8 },
    { kind: 'before', minutes: 10 },
  ])}'::jsonb`;

export class Migration20261203130000SlaAlwaysOnCalendar extends Migration {
  override async up(): Promise<void> {
    this.addSql(`insert into business_calendars (id, definition) values ('always-on', '${JSON.stringify(ALWAYS_ON)}'::jsonb) on conflict (id) do nothing;`);
    this.addSql(`
      update sla_policies set calendar_id = '${URGENT_AFTER.calendarId}', match = '${JSON.stringify(URGENT_AFTER.match)}'::jsonb, updated_at = now()
      where ${URGENT_UNCHANGED} and calendar_id = '${URGENT_BEFORE.calendarId}' and match = '${JSON.stringify(URGENT_BEFORE.match)}'::jsonb;`);
  }

  override async down(): Promise<void> {
    this.addSql(`
      update sla_policies set calendar_id = '${URGENT_BEFORE.calendarId}', match = '${JSON.stringify(URGENT_BEFORE.match)}'::jsonb, updated_at = now()
      where ${URGENT_UNCHANGED} and calendar_id = '${URGENT_AFTER.calendarId}' and match = '${JSON.stringify(URGENT_AFTER.match)}'::jsonb;`);
    this.addSql(`delete from business_calendars where id = 'always-on' and not exists (select 1 from sla_policies where calendar_id = 'always-on');`);
  }
}
