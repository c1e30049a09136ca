import { DomainError } from '../errors';
import { DEFAULT_BUSINESS_CALENDAR } from './prc-holidays';
import { ALWAYS_ON_CALENDAR } from './always-on';
import { applyYearSchedule, parseYearScheduleFile, unconfirmedScheduleYears } from './schedule-import';
import { validateBusinessCalendar } from './business-calendar';

const ICS_2027 = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//test//holidays//EN',
  'X-WR-CALNAME:国务院办公厅 2027 安排',
  'BEGIN:VEVENT',
  'UID:ny@test',
  'DTSTART;VALUE=DATE:20270101',
  'DTEND;VALUE=DATE:20270104',
  'SUMMARY:元旦',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:sf-work@test',
  'DTSTART;VALUE=DATE:20270207',
  'SUMMARY:春节 补班',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:ld-work@test',
  'DTSTART;VALUE=DATE:20270424',
  'DTEND;VALUE=DATE:20270425',
  'SUMMARY:Labour Day make-up',
  'CATEGORIES:WORKDAY',
  'BEGIN:VALARM',
  'ACTION:DISPLAY',
  'TRIGGER:-PT15M',
  'END:VALARM',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:long@test',
  'DTSTART;VALUE=DATE:20270501',
  'DTEND;VALUE=DATE:20270506',
  'SUMMARY:劳动节\\, Labour',
  '  Day',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

const fieldsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return ((error as DomainError).details as { fields: Array<{ path: string; message: string }> }).fields;
  }
  throw new Error('expected a DomainError');
};

describe('importing a year of holidays from a file', () => {
  it('reads all-day iCalendar events: multi-day periods become one holiday per day, 补班 or CATEGORIES:WORKDAY make-up days', () => {
    const schedule = parseYearScheduleFile('ics', ICS_2027, 2027);
    expect(schedule.status).toBe('confirmed');
    expect(schedule.source).toBe('国务院办公厅 2027 安排');
    expect(schedule.holidays.map((holiday) => holiday.date)).toEqual([
      '2027-01-01',
      '2027-01-02',
      '2027-01-03',
      '2027-05-01',
      '2027-05-02',
      '2027-05-03',
      '2027-05-04',
      '2027-05-05',
    ]);
    expect(schedule.holidays[3]!.name).toBe('劳动节, Labour Day');
    expect(schedule.makeUpWorkdays).toEqual([
      { date: '2027-02-07', name: '春节 补班' },
      { date: '2027-04-24', name: 'Labour Day make-up' },
    ]);
  });

  it('marks the year provisional when the file says X-SCHEDULE-STATUS:PROVISIONAL', () => {
    const provisional = ICS_2027.replace('VERSION:2.0', 'VERSION:2.0\r\nX-SCHEDULE-STATUS:PROVISIONAL');
    expect(parseYearScheduleFile('ics', provisional, 2027).status).toBe('provisional');
  });

  it('reads the JSON shape the shipped data uses', () => {
    const schedule = parseYearScheduleFile(
      'json',
      JSON.stringify({
        year: 2027,
        source: 'announcement',
        holidays: [{ date: '2027-10-01', name: '国庆节' }],
        makeUpWorkdays: [{ date: '2027-09-26', name: '国庆节 调休上班', hours: [{ start: '09:00', end: '12:00' }] }],
      }),
      2027,
    );
    expect(schedule).toEqual({
      year: 2027,
      status: 'confirmed',
      source: 'announcement',
      holidays: [{ date: '2027-10-01', name: '国庆节' }],
      makeUpWorkdays: [{ date: '2027-09-26', name: '国庆节 调休上班', hours: [{ start: '09:00', end: '12:00' }] }],
    });
  });

  it.each([
    ['not a calendar', 'hello', 'content.line1'],
    ['no end', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270101\r\nSUMMARY:x\r\nEND:VEVENT', 'content'],
    ['a timed event', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20270101T090000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR', 'content.line3'],
    ['no summary', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270101\r\nEND:VEVENT\r\nEND:VCALENDAR', 'content.line2'],
    ['a recurring event', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270101\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR', 'content.line2'],
    [
      'an end before the start',
      'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270105\r\nDTEND;VALUE=DATE:20270101\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR',
      'content.line4',
    ],
    ['no events', 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR', 'content'],
    ['a line without a colon', 'BEGIN:VCALENDAR\r\ngarbage\r\nEND:VCALENDAR', 'content.line2'],
  ])('refuses an iCalendar file with %s', (_, content, path) => {
    expect(fieldsOf(() => parseYearScheduleFile('ics', content, 2027)).map((field) => field.path)).toContain(path);
  });

  it('refuses dates outside the year, dates listed twice, and broken JSON', () => {
    expect(fieldsOf(() => parseYearScheduleFile('ics', ICS_2027, 2026)).map((field) => field.path)).toContain('content.holidays.0.date');
    const twice = JSON.stringify({ holidays: [{ date: '2027-01-01', name: 'a' }], makeUpWorkdays: [{ date: '2027-01-01', name: 'b' }] });
    expect(fieldsOf(() => parseYearScheduleFile('json', twice, 2027))).toEqual([{ path: 'content.makeUpWorkdays.0.date', message: '2027-01-01 is listed twice (holidays.0)' }]);
    expect(fieldsOf(() => parseYearScheduleFile('json', '{"holidays": [', 2027))).toEqual([{ path: 'content', message: 'is not valid JSON' }]);
    expect(fieldsOf(() => parseYearScheduleFile('json', '{"year": 2028, "holidays": [{"date": "2027-02-30", "name": ""}]}', 2027)).map((field) => field.path)).toEqual([
      'content.year',
      'content.holidays.0.date',
      'content.holidays.0.name',
    ]);
    expect(fieldsOf(() => parseYearScheduleFile('json', '{"holidays": [{"date": "2027-01-01", "name": "a\\u0000b"}]}', 2027)).map((field) => field.path)).toEqual([
      'content.holidays.0.name',
    ]);
    expect(fieldsOf(() => parseYearScheduleFile('json', '{}', 2027))).toEqual([{ path: 'content', message: 'lists no holidays and no make-up working days' }]);
    expect(fieldsOf(() => parseYearScheduleFile('json', '{}', 1999)).map((field) => field.path)).toEqual(['year']);
  });

  it('replaces only that year in a calendar and records the year as confirmed', () => {
    const before = DEFAULT_BUSINESS_CALENDAR;
    const after = applyYearSchedule(before, parseYearScheduleFile('ics', ICS_2027, 2027));
    expect(validateBusinessCalendar(after)).toEqual([]);
    expect(after.holidays.filter((holiday) => holiday.date.startsWith('2026-'))).toEqual(before.holidays.filter((holiday) => holiday.date.startsWith('2026-')));
    expect(after.holidays.filter((holiday) => holiday.date.startsWith('2027-')).map((holiday) => holiday.date)).toHaveLength(8);
    expect(after.makeUpWorkdays.map((workday) => workday.date)).toEqual([...before.makeUpWorkdays.map((workday) => workday.date), '2027-02-07', '2027-04-24']);
    expect(after.schedules?.find((schedule) => schedule.year === 2027)).toEqual({ year: 2027, status: 'confirmed', source: '国务院办公厅 2027 安排' });
    expect(after.schedules?.find((schedule) => schedule.year === 2026)?.status).toBe('confirmed');
  });

  it('names the years around now without a confirmed schedule, and none for a calendar without holidays', () => {
    expect(unconfirmedScheduleYears(DEFAULT_BUSINESS_CALENDAR, 2026)).toEqual([2027]);
    expect(unconfirmedScheduleYears(DEFAULT_BUSINESS_CALENDAR, 2027)).toEqual([2027, 2028]);
    expect(unconfirmedScheduleYears(ALWAYS_ON_CALENDAR, 2026)).toEqual([]);
    const confirmed = applyYearSchedule(DEFAULT_BUSINESS_CALENDAR, parseYearScheduleFile('ics', ICS_2027, 2027));
    expect(unconfirmedScheduleYears(confirmed, 2026)).toEqual([]);
  });

  it('checks the schedules of a calendar', () => {
    const paths = validateBusinessCalendar({
      ...ALWAYS_ON_CALENDAR,
      schedules: [{ year: 2027, status: 'confirmed' }, { year: 2027, status: 'maybe' }, { year: 1800, status: 'confirmed' }, 'x'],
    }).map((issue) => issue.path);
    expect(paths).toEqual(['schedules.1.status', 'schedules.1.year', 'schedules.2.year', 'schedules.3']);
  });
});
