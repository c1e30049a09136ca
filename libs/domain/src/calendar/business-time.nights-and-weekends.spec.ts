import type { BusinessCalendar } from './business-calendar';
import { addBusinessMinutes, addCalendarMinutes, businessMinutesBetween, isWithinBusinessHours, nextBusinessInstant } from './business-time';

// Monday to Friday 09:00–18:00 Beijing time, no holidays. March 2026: Fri 13th, Mon 16th.
const DAY = [{ start: '09:00', end: '18:00' }];
const NINE_TO_SIX: BusinessCalendar = {
  id: 'nine-to-six',
  name: 'Nine to six',
  timeZone: 'Asia/Shanghai',
  weeklyHours: { 1: DAY, 2: DAY, 3: DAY, 4: DAY, 5: DAY, 6: [], 7: [] },
  holidays: [],
  makeUpWorkdays: [],
};
const at = (localIso: string) => new Date(`${localIso}+08:00`);

describe('business time across nights and weekends (09:00–18:00, Monday to Friday)', () => {
  it('carries a Friday 17:30 start with 2 business hours over the weekend to Monday 10:30', () => {
    expect(addBusinessMinutes(NINE_TO_SIX, at('2026-03-13T17:30'), 120)).toEqual(at('2026-03-16T10:30'));
  });

  it('carries an evening start over the night to the next morning', () => {
    expect(addBusinessMinutes(NINE_TO_SIX, at('2026-03-10T17:00'), 90)).toEqual(at('2026-03-11T09:30'));
  });

  it('starts the clock when work starts for a start inside a non-working gap', () => {
    expect(addBusinessMinutes(NINE_TO_SIX, at('2026-03-10T07:00'), 30)).toEqual(at('2026-03-10T09:30')); // before opening
    expect(addBusinessMinutes(NINE_TO_SIX, at('2026-03-10T22:00'), 30)).toEqual(at('2026-03-11T09:30')); // at night
    expect(addBusinessMinutes(NINE_TO_SIX, at('2026-03-14T03:00'), 30)).toEqual(at('2026-03-16T09:30')); // on Saturday
  });

  it('treats span boundaries as half-open: the start is working time, the end is not', () => {
    expect(addBusinessMinutes(NINE_TO_SIX, at('2026-03-10T09:00'), 1)).toEqual(at('2026-03-10T09:01'));
    expect(addBusinessMinutes(NINE_TO_SIX, at('2026-03-13T18:00'), 1)).toEqual(at('2026-03-16T09:01'));
    expect(isWithinBusinessHours(NINE_TO_SIX, at('2026-03-10T09:00'))).toBe(true);
    expect(isWithinBusinessHours(NINE_TO_SIX, at('2026-03-10T17:59:59.999'))).toBe(true);
    expect(isWithinBusinessHours(NINE_TO_SIX, at('2026-03-10T18:00'))).toBe(false);
    expect(isWithinBusinessHours(NINE_TO_SIX, at('2026-03-10T08:59:59.999'))).toBe(false);
  });

  it('ends a duration that uses up a day exactly at that day’s end, not at the next opening', () => {
    expect(addBusinessMinutes(NINE_TO_SIX, at('2026-03-10T09:00'), 540)).toEqual(at('2026-03-10T18:00'));
    expect(addBusinessMinutes(NINE_TO_SIX, at('2026-03-13T17:00'), 60)).toEqual(at('2026-03-13T18:00'));
    expect(addBusinessMinutes(NINE_TO_SIX, at('2026-03-13T17:00'), 61)).toEqual(at('2026-03-16T09:01'));
  });

  it('returns the start itself for zero minutes, even outside working hours', () => {
    expect(addBusinessMinutes(NINE_TO_SIX, at('2026-03-14T03:00'), 0)).toEqual(at('2026-03-14T03:00'));
    expect(addBusinessMinutes(NINE_TO_SIX, at('2026-03-10T10:00'), 0)).toEqual(at('2026-03-10T10:00'));
    expect(businessMinutesBetween(NINE_TO_SIX, at('2026-03-14T03:00'), at('2026-03-14T03:00'))).toBe(0);
  });

  it('adds whole weeks: five business days of nine hours from a Monday morning end on Friday evening', () => {
    expect(addBusinessMinutes(NINE_TO_SIX, at('2026-03-09T09:00'), 5 * 540)).toEqual(at('2026-03-13T18:00'));
    expect(addBusinessMinutes(NINE_TO_SIX, at('2026-03-09T09:00'), 5 * 540 + 1)).toEqual(at('2026-03-16T09:01'));
  });

  it('keeps fractions of a minute to the millisecond', () => {
    expect(addBusinessMinutes(NINE_TO_SIX, at('2026-03-13T17:59:30'), 1.5)).toEqual(at('2026-03-16T09:01'));
    expect(businessMinutesBetween(NINE_TO_SIX, at('2026-03-13T17:59:30'), at('2026-03-16T09:01'))).toBe(1.5);
  });

  it('counts business minutes between two instants over a weekend, signed by direction', () => {
    // Friday 16:00–18:00 (120) + Monday 09:00–11:00 (120).
    expect(businessMinutesBetween(NINE_TO_SIX, at('2026-03-13T16:00'), at('2026-03-16T11:00'))).toBe(240);
    expect(businessMinutesBetween(NINE_TO_SIX, at('2026-03-16T11:00'), at('2026-03-13T16:00'))).toBe(-240);
    // Entirely outside working hours: Friday 19:00 to Monday 08:00.
    expect(businessMinutesBetween(NINE_TO_SIX, at('2026-03-13T19:00'), at('2026-03-16T08:00'))).toBe(0);
    expect(businessMinutesBetween(NINE_TO_SIX, at('2026-03-16T08:00'), at('2026-03-13T19:00'))).toBe(0); // 0, not -0
    // Within one span.
    expect(businessMinutesBetween(NINE_TO_SIX, at('2026-03-10T10:15'), at('2026-03-10T10:45'))).toBe(30);
  });

  it('finds the next business instant: itself inside hours, the next opening outside', () => {
    expect(nextBusinessInstant(NINE_TO_SIX, at('2026-03-10T10:00'))).toEqual(at('2026-03-10T10:00'));
    expect(nextBusinessInstant(NINE_TO_SIX, at('2026-03-10T09:00'))).toEqual(at('2026-03-10T09:00'));
    expect(nextBusinessInstant(NINE_TO_SIX, at('2026-03-10T18:00'))).toEqual(at('2026-03-11T09:00'));
    expect(nextBusinessInstant(NINE_TO_SIX, at('2026-03-13T18:30'))).toEqual(at('2026-03-16T09:00'));
  });

  it('works in the calendar’s zone whatever zone the instant was written in', () => {
    // 09:30 UTC on Friday is 17:30 in Beijing.
    expect(addBusinessMinutes(NINE_TO_SIX, new Date('2026-03-13T09:30:00Z'), 120)).toEqual(new Date('2026-03-16T02:30:00Z'));
  });

  it('refuses durations and instants that are not numbers or dates', () => {
    const start = at('2026-03-10T10:00');
    expect(() => addBusinessMinutes(NINE_TO_SIX, start, -1)).toThrow(RangeError);
    expect(() => addBusinessMinutes(NINE_TO_SIX, start, Number.NaN)).toThrow(RangeError);
    expect(() => addBusinessMinutes(NINE_TO_SIX, start, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => addBusinessMinutes(NINE_TO_SIX, start, 1e9)).toThrow(RangeError);
    expect(() => addBusinessMinutes(NINE_TO_SIX, new Date('not a date'), 10)).toThrow(RangeError);
    expect(() => businessMinutesBetween(NINE_TO_SIX, start, new Date(Number.NaN))).toThrow(RangeError);
  });

  it('adds calendar minutes as plain elapsed time', () => {
    expect(addCalendarMinutes(at('2026-03-13T17:30'), 120)).toEqual(at('2026-03-13T19:30'));
    expect(addCalendarMinutes(at('2026-03-13T17:30'), 7 * 24 * 60)).toEqual(at('2026-03-20T17:30'));
    expect(addCalendarMinutes(at('2026-03-13T17:30'), -30)).toEqual(at('2026-03-13T17:00'));
    expect(() => addCalendarMinutes(at('2026-03-13T17:30'), Number.NaN)).toThrow(RangeError);
  });
});
