import { addBusinessMinutes, businessMinutesBetween, isWithinBusinessHours, nextBusinessInstant, workingHoursOn } from './business-time';
import { DEFAULT_BUSINESS_CALENDAR } from './prc-holidays';

// The default calendar: 09:00–12:00 and 13:00–18:00 Beijing time. Monday 9 March 2026 is an
// ordinary working day.
const calendar = DEFAULT_BUSINESS_CALENDAR;
const at = (localIso: string) => new Date(`${localIso}+08:00`);

describe('business time with a lunch break (09:00–12:00, 13:00–18:00)', () => {
  it('pauses the clock over lunch', () => {
    expect(addBusinessMinutes(calendar, at('2026-03-09T11:30'), 60)).toEqual(at('2026-03-09T13:30'));
    expect(businessMinutesBetween(calendar, at('2026-03-09T11:00'), at('2026-03-09T14:00'))).toBe(120);
  });

  it('starts the clock at 13:00 for a request that arrives over lunch', () => {
    expect(addBusinessMinutes(calendar, at('2026-03-09T12:15'), 30)).toEqual(at('2026-03-09T13:30'));
    expect(nextBusinessInstant(calendar, at('2026-03-09T12:15'))).toEqual(at('2026-03-09T13:00'));
    expect(businessMinutesBetween(calendar, at('2026-03-09T12:10'), at('2026-03-09T12:50'))).toBe(0);
  });

  it('ends a morning that is used up exactly at 12:00, and resumes at 13:00 for one more minute', () => {
    expect(addBusinessMinutes(calendar, at('2026-03-09T09:00'), 180)).toEqual(at('2026-03-09T12:00'));
    expect(addBusinessMinutes(calendar, at('2026-03-09T09:00'), 181)).toEqual(at('2026-03-09T13:01'));
    expect(addBusinessMinutes(calendar, at('2026-03-09T12:00'), 1)).toEqual(at('2026-03-09T13:01'));
    expect(addBusinessMinutes(calendar, at('2026-03-09T13:00'), 1)).toEqual(at('2026-03-09T13:01'));
  });

  it('has eight business hours a day, so one business day is 480 minutes', () => {
    expect(addBusinessMinutes(calendar, at('2026-03-09T09:00'), 480)).toEqual(at('2026-03-09T18:00'));
    expect(addBusinessMinutes(calendar, at('2026-03-09T10:00'), 480)).toEqual(at('2026-03-10T10:00'));
    expect(businessMinutesBetween(calendar, at('2026-03-09T00:00'), at('2026-03-10T00:00'))).toBe(480);
  });

  it('is not within business hours over lunch, and is from 13:00', () => {
    expect(isWithinBusinessHours(calendar, at('2026-03-09T11:59'))).toBe(true);
    expect(isWithinBusinessHours(calendar, at('2026-03-09T12:00'))).toBe(false);
    expect(isWithinBusinessHours(calendar, at('2026-03-09T12:59'))).toBe(false);
    expect(isWithinBusinessHours(calendar, at('2026-03-09T13:00'))).toBe(true);
  });

  it('lists a date’s working hours', () => {
    expect(workingHoursOn(calendar, '2026-03-09')).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '18:00' },
    ]);
    expect(workingHoursOn(calendar, '2026-03-08')).toEqual([]); // Sunday
    expect(() => workingHoursOn(calendar, '2026-02-30')).toThrow(RangeError);
  });
});

describe('business time of a calendar changed as a new object', () => {
  // The instants of each date are kept per calendar object (intervalsOnDay): a changed copy must
  // not be answered from what its old self worked out for the same dates.
  it('reads the changed hours, after the old calendar was asked for the same dates', () => {
    expect(addBusinessMinutes(calendar, at('2026-03-09T09:00'), 240)).toEqual(at('2026-03-09T14:00'));
    const noLunch = { ...calendar, weeklyHours: { ...calendar.weeklyHours, 1: [{ start: '09:00', end: '18:00' }] } };
    expect(addBusinessMinutes(noLunch, at('2026-03-09T09:00'), 240)).toEqual(at('2026-03-09T13:00'));
    expect(addBusinessMinutes(calendar, at('2026-03-09T09:00'), 240)).toEqual(at('2026-03-09T14:00'));
  });
});
