import { formatIsoDate, instantAtWallTime, isoWeekdayOf, isValidTimeZone, localDayNumber, offsetMs, parseIsoDate, wallClockMs } from './zoned-time';

const day = (date: string) => parseIsoDate(date) as number;
const iso = (ms: number) => new Date(ms).toISOString();

describe('zoned time through Intl', () => {
  it('parses and formats calendar dates, refusing ones that do not exist', () => {
    expect(parseIsoDate('1970-01-01')).toBe(0);
    expect(parseIsoDate('2026-10-01')).toBe(20_727);
    expect(formatIsoDate(20_727)).toBe('2026-10-01');
    expect(parseIsoDate('2028-02-29')).toBeDefined();
    for (const bad of ['2026-02-29', '2026-00-10', '2026-1-1', '2026-01-01T00:00', 20260101]) expect(parseIsoDate(bad)).toBeUndefined();
  });

  it('numbers ISO weekdays from Monday', () => {
    expect(isoWeekdayOf(day('2026-10-05'))).toBe(1);
    expect(isoWeekdayOf(day('2026-10-10'))).toBe(6);
    expect(isoWeekdayOf(day('2026-10-11'))).toBe(7);
    expect(isoWeekdayOf(day('1969-12-29'))).toBe(1); // before the epoch
  });

  it('reads the wall clock and the offset of an instant', () => {
    const instant = Date.parse('2026-09-30T09:00:00.250Z');
    expect(iso(wallClockMs('Asia/Shanghai', instant))).toBe('2026-09-30T17:00:00.250Z');
    expect(offsetMs('Asia/Shanghai', instant)).toBe(8 * 3_600_000);
    expect(offsetMs('America/New_York', instant)).toBe(-4 * 3_600_000);
    expect(localDayNumber('Asia/Shanghai', Date.parse('2026-09-30T16:00:00Z'))).toBe(day('2026-10-01'));
    expect(localDayNumber('America/New_York', Date.parse('2026-10-01T03:59:59Z'))).toBe(day('2026-09-30'));
  });

  it('converts an ordinary local time to its instant', () => {
    expect(iso(instantAtWallTime('Asia/Shanghai', day('2026-10-08'), 9 * 60))).toBe('2026-10-08T01:00:00.000Z');
    expect(iso(instantAtWallTime('Asia/Shanghai', day('2026-10-08'), 24 * 60))).toBe('2026-10-08T16:00:00.000Z');
    expect(iso(instantAtWallTime('Europe/Berlin', day('2026-07-01'), 9 * 60))).toBe('2026-07-01T07:00:00.000Z');
    expect(iso(instantAtWallTime('UTC', day('2026-07-01'), 0))).toBe('2026-07-01T00:00:00.000Z');
  });

  it('maps a local time in a spring-forward gap to the moment of the jump', () => {
    expect(iso(instantAtWallTime('Europe/Berlin', day('2026-03-29'), 2 * 60 + 30))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(instantAtWallTime('Europe/Berlin', day('2026-03-29'), 2 * 60))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(instantAtWallTime('Europe/Berlin', day('2026-03-29'), 3 * 60))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(instantAtWallTime('America/New_York', day('2026-03-08'), 2 * 60 + 59))).toBe('2026-03-08T07:00:00.000Z');
  });

  it('maps a local time in a fall-back overlap to its first occurrence', () => {
    expect(iso(instantAtWallTime('Europe/Berlin', day('2026-10-25'), 2 * 60 + 30))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(instantAtWallTime('Europe/Berlin', day('2026-10-25'), 3 * 60))).toBe('2026-10-25T02:00:00.000Z');
    expect(iso(instantAtWallTime('America/New_York', day('2026-11-01'), 60 + 30))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('reads the same wall clock as ICU around every offset change (the cached offsets are only a shortcut)', () => {
    // Zones with daylight saving (north and south), a 30-minute shift, changes at midnight, and one without.
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago', 'America/Havana', 'Asia/Tehran', 'Asia/Shanghai'];
    const utcWall = (timeZone: string, ms: number) => {
      const parts = Object.fromEntries(
        new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
          .formatToParts(new Date(ms))
          .map((part) => [part.type, Number(part.value)]),
      );
      return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second, ((ms % 1000) + 1000) % 1000);
    };
    const from = Date.parse('2021-01-01T00:00:00Z');
    const to = Date.parse('2023-01-01T00:00:00Z');
    let checked = 0;
    for (const zone of zones) {
      // Every 97 minutes and 13.5 seconds: not a divisor of an hour or a day, so instants fall on every side of each change.
      for (let ms = from; ms < to; ms += 97 * 60_000 + 13_500) {
        expect([zone, iso(ms), wallClockMs(zone, ms)]).toEqual([zone, iso(ms), utcWall(zone, ms)]);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(70_000);
  });

  it('knows IANA zone names and refuses the rest', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Asia/Atlantis')).toBe(false);
    expect(isValidTimeZone('+08:00')).toBe(false);
    expect(isValidTimeZone(undefined)).toBe(false);
  });
});
