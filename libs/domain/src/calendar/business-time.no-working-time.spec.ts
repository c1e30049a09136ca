import { DomainError, DomainErrorCode } from '../errors';
import type { BusinessCalendar } from './business-calendar';
import { addBusinessMinutes, BUSINESS_TIME_SEARCH_LIMIT_DAYS, businessMinutesBetween, isWithinBusinessHours, nextBusinessInstant } from './business-time';
import { DEFAULT_BUSINESS_CALENDAR } from './prc-holidays';

const NO_HOURS: BusinessCalendar = {
  id: 'closed',
  name: 'Closed for good',
  timeZone: 'Asia/Shanghai',
  weeklyHours: { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] },
  holidays: [],
  makeUpWorkdays: [],
};
const DAY = [{ start: '09:00', end: '18:00' }];
const start = new Date('2026-03-09T01:00:00Z');

function domainErrorOf(call: () => unknown): DomainError {
  try {
    call();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('business time guards', () => {
  it('refuses to add time on a calendar without any working hours instead of looping', () => {
    const error = domainErrorOf(() => addBusinessMinutes(NO_HOURS, start, 60));
    expect(error.code).toBe(DomainErrorCode.ValidationFailed);
    expect(error.message).toBe(`The business calendar "closed" has no working time within ${BUSINESS_TIME_SEARCH_LIMIT_DAYS} days after 2026-03-09T01:00:00.000Z.`);
    expect(error.details).toMatchObject({ calendarId: 'closed', fields: [{ path: 'weeklyHours' }] });
    expect(() => nextBusinessInstant(NO_HOURS, start)).toThrow(DomainError);
  });

  it('still answers the questions that need no working time', () => {
    expect(addBusinessMinutes(NO_HOURS, start, 0)).toEqual(start);
    expect(businessMinutesBetween(NO_HOURS, start, new Date('2030-01-01T00:00:00Z'))).toBe(0);
    expect(isWithinBusinessHours(NO_HOURS, start)).toBe(false);
  });

  it('works a calendar whose only working time is a make-up day, and gives up once it is past', () => {
    const oneDay: BusinessCalendar = { ...NO_HOURS, makeUpWorkdays: [{ date: '2026-03-14', name: 'one Saturday', hours: DAY }] };
    expect(addBusinessMinutes(oneDay, start, 60)).toEqual(new Date('2026-03-14T02:00:00Z'));
    expect(() => addBusinessMinutes(oneDay, start, 600)).toThrow(DomainError);
    expect(() => nextBusinessInstant(oneDay, new Date('2026-03-15T00:00:00Z'))).toThrow(DomainError);
  });

  it('gives up after three years without working time', () => {
    const farAway: BusinessCalendar = { ...NO_HOURS, makeUpWorkdays: [{ date: '2031-03-14', name: 'five years on', hours: DAY }] };
    const error = domainErrorOf(() => nextBusinessInstant(farAway, start));
    expect(error.message).toContain(`within ${BUSINESS_TIME_SEARCH_LIMIT_DAYS} days`);
    const withinReach: BusinessCalendar = { ...NO_HOURS, makeUpWorkdays: [{ date: '2028-03-14', name: 'two years on', hours: DAY }] };
    expect(nextBusinessInstant(withinReach, start)).toEqual(new Date('2028-03-14T01:00:00Z'));
  });

  it('walks per day, not per minute: 10,000 business minutes take a few hundred zone lookups', () => {
    const lookups = jest.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    try {
      // 10,000 = 20 days of 480 + 400: from Mon 9 Mar 09:00, 20 working days take us to Fri 3 Apr
      // 18:00 (no holidays in between); Qingming closes 4–6 Apr; Tue 7 Apr 09:00 + 400 = 16:40
      // (180 before lunch, 220 after).
      const end = addBusinessMinutes(DEFAULT_BUSINESS_CALENDAR, start, 10_000);
      expect(end).toEqual(new Date('2026-04-07T16:40:00+08:00'));
      expect(lookups.mock.calls.length).toBeLessThan(1_000);
    } finally {
      lookups.mockRestore();
    }
  });

  it('adds a year of business time quickly', () => {
    const began = Date.now();
    const end = addBusinessMinutes(DEFAULT_BUSINESS_CALENDAR, start, 250 * 480);
    expect(businessMinutesBetween(DEFAULT_BUSINESS_CALENDAR, start, end)).toBe(250 * 480);
    expect(Date.now() - began).toBeLessThan(2_000);
  });
});
