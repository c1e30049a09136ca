import { DomainError, DomainErrorCode } from '../errors';
import { assertValidBusinessCalendar, makeUpWorkdayHours, validateBusinessCalendar, type BusinessCalendar } from './business-calendar';
import { addBusinessMinutes, businessMinutesBetween } from './business-time';
import { DEFAULT_BUSINESS_CALENDAR } from './prc-holidays';

const WEEKDAY = [{ start: '09:00', end: '18:00' }];

function calendar(overrides: Partial<BusinessCalendar> = {}): BusinessCalendar {
  return {
    id: 'test',
    name: 'Test',
    timeZone: 'Asia/Shanghai',
    weeklyHours: { 1: WEEKDAY, 2: WEEKDAY, 3: WEEKDAY, 4: WEEKDAY, 5: WEEKDAY, 6: [], 7: [] },
    holidays: [],
    makeUpWorkdays: [],
    ...overrides,
  };
}

function paths(input: unknown): string[] {
  return validateBusinessCalendar(input).map((issue) => issue.path);
}

describe('business calendar validation', () => {
  it('accepts a plain calendar, the shipped default, several spans a day and a span to midnight', () => {
    expect(validateBusinessCalendar(calendar())).toEqual([]);
    expect(validateBusinessCalendar(DEFAULT_BUSINESS_CALENDAR)).toEqual([]);
    const split = [
      { start: '00:00', end: '06:00' },
      { start: '09:00', end: '12:00' },
      { start: '12:00', end: '13:00' },
      { start: '22:00', end: '24:00' },
    ];
    expect(validateBusinessCalendar(calendar({ weeklyHours: { ...calendar().weeklyHours, 6: split } }))).toEqual([]);
  });

  it('refuses spans that are out of order, overlap, end before they start or are not HH:MM', () => {
    const weeklyHours = {
      ...calendar().weeklyHours,
      1: [
        { start: '13:00', end: '18:00' },
        { start: '09:00', end: '12:00' },
      ],
      2: [
        { start: '09:00', end: '12:30' },
        { start: '12:00', end: '18:00' },
      ],
      3: [{ start: '18:00', end: '09:00' }],
      4: [{ start: '9:00', end: '18:00' }],
      5: [{ start: '24:00', end: '24:00' }],
      6: [{ start: '10:00', end: '10:00' }],
      7: [{ start: '08:00', end: '25:00' }],
    };
    expect(paths(calendar({ weeklyHours }))).toEqual([
      'weeklyHours.1.1.start',
      'weeklyHours.2.1.start',
      'weeklyHours.3.0',
      'weeklyHours.4.0.start',
      'weeklyHours.5.0.start',
      'weeklyHours.6.0',
      'weeklyHours.7.0.end',
    ]);
  });

  it('needs all seven ISO weekdays and nothing else', () => {
    const { 7: _sunday, ...sixDays } = calendar().weeklyHours;
    expect(paths(calendar({ weeklyHours: { ...sixDays, 0: [] } as unknown as BusinessCalendar['weeklyHours'] }))).toEqual(['weeklyHours.0', 'weeklyHours.7']);
  });

  it('refuses dates that do not exist or are not YYYY-MM-DD, and empty names', () => {
    const result = paths(
      calendar({
        holidays: [
          { date: '2026-02-30', name: 'no such day' },
          { date: '2026/10/01', name: 'slashes' },
          { date: '2026-10-01', name: ' ' },
        ],
        makeUpWorkdays: [{ date: '2026-13-01', name: 'month 13' }],
      }),
    );
    expect(result).toEqual(['holidays.0.date', 'holidays.1.date', 'holidays.2.name', 'makeUpWorkdays.0.date']);
  });

  it('refuses a date that is both a holiday and a make-up working day, and dates listed twice', () => {
    const result = validateBusinessCalendar(
      calendar({
        holidays: [
          { date: '2026-10-01', name: 'National Day' },
          { date: '2026-10-01', name: 'National Day again' },
        ],
        makeUpWorkdays: [
          { date: '2026-10-01', name: 'clash' },
          { date: '2026-10-10', name: 'make-up' },
          { date: '2026-10-10', name: 'make-up again' },
        ],
      }),
    );
    expect(result).toEqual([
      { path: 'holidays.1.date', message: 'is already a holiday (holidays.0)' },
      { path: 'makeUpWorkdays.0.date', message: 'is also a holiday (holidays.0); a date is one or the other' },
      { path: 'makeUpWorkdays.2.date', message: 'is already a make-up working day (makeUpWorkdays.1)' },
    ]);
  });

  it('refuses make-up days with no hours to work', () => {
    expect(paths(calendar({ makeUpWorkdays: [{ date: '2026-10-10', name: 'empty', hours: [] }] }))).toEqual(['makeUpWorkdays.0.hours']);
    const weekendOnly = calendar({
      weeklyHours: { 1: [], 2: [], 3: [], 4: [], 5: [], 6: WEEKDAY, 7: WEEKDAY },
      makeUpWorkdays: [{ date: '2026-10-12', name: 'no weekday hours to copy' }],
    });
    expect(paths(weekendOnly)).toEqual(['makeUpWorkdays.0.hours']);
  });

  it('gives a make-up day without hours the first working weekday’s hours, and its own hours otherwise', () => {
    const lunch = [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '18:00' },
    ];
    const c = calendar({ weeklyHours: { ...calendar().weeklyHours, 1: [], 2: lunch } });
    expect(makeUpWorkdayHours(c, { date: '2026-10-10', name: 'x' })).toEqual(lunch);
    expect(makeUpWorkdayHours(c, { date: '2026-10-10', name: 'x', hours: [{ start: '10:00', end: '15:00' }] })).toEqual([{ start: '10:00', end: '15:00' }]);
  });

  it.each(['Mars/Olympus_Mons', 'Asia/Shang hai', '+08:00', '', ' Asia/Shanghai', 42])('refuses the time zone %p', (timeZone) => {
    expect(paths(calendar({ timeZone: timeZone as string }))).toEqual(['timeZone']);
  });

  it.each(['UTC', 'Asia/Shanghai', 'Asia/Hong_Kong', 'Europe/Berlin', 'America/New_York'])('accepts the IANA zone %s', (timeZone) => {
    expect(paths(calendar({ timeZone }))).toEqual([]);
  });

  it('reports the shape of whatever arrives instead of throwing on it', () => {
    expect(paths(null)).toEqual(['']);
    expect(paths({})).toEqual(['id', 'name', 'timeZone', 'weeklyHours', 'holidays', 'makeUpWorkdays']);
    expect(paths(calendar({ holidays: [null as never], weeklyHours: { ...calendar().weeklyHours, 1: 'all day' as never } }))).toEqual(['weeklyHours.1', 'holidays.0']);
  });

  it('makes the arithmetic refuse an invalid calendar with a ValidationFailed DomainError listing the fields', () => {
    const invalid = calendar({ timeZone: 'Nowhere/Atlantis' });
    expect(() => assertValidBusinessCalendar(invalid)).toThrow(DomainError);
    const start = new Date('2026-03-09T01:00:00Z');
    for (const call of [() => addBusinessMinutes(invalid, start, 10), () => businessMinutesBetween(invalid, start, start)]) {
      try {
        call();
        throw new Error('expected a DomainError');
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toBe(DomainErrorCode.ValidationFailed);
        expect((error as DomainError).details.fields).toEqual([{ path: 'timeZone', message: expect.stringContaining('IANA') }]);
      }
    }
  });
});
