import type { BusinessCalendar, IsoWeekday, WorkingSpan } from './business-calendar';
import { addBusinessMinutes, businessMinutesBetween, isWithinBusinessHours, nextBusinessInstant } from './business-time';

// 2026 transitions (hand-checked against the IANA rules):
//  - Europe/Berlin: Sun 29 Mar 02:00 CET → 03:00 CEST (01:00Z); Sun 25 Oct 03:00 CEST → 02:00 CET (01:00Z).
//  - America/New_York: Sun 8 Mar 02:00 EST → 03:00 EDT (07:00Z); Sun 1 Nov 02:00 EDT → 01:00 EST (06:00Z).
//  - America/Santiago changes at midnight: Sat 4 Apr 24:00 −03 → 23:00 −04 (03:00Z);
//    Sat 5 Sep 24:00 −04 → Sun 6 Sep 01:00 −03 (04:00Z).
function calendar(timeZone: string, days: Partial<Record<IsoWeekday, WorkingSpan[]>>): BusinessCalendar {
  return {
    id: `dst-${timeZone}`,
    name: timeZone,
    timeZone,
    weeklyHours: { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [], ...days },
    holidays: [],
    makeUpWorkdays: [],
  };
}
const office = (timeZone: string) => {
  const day = [{ start: '09:00', end: '17:00' }];
  return calendar(timeZone, { 1: day, 2: day, 3: day, 4: day, 5: day });
};
const utc = (iso: string) => new Date(`${iso}Z`);

describe('business time in daylight-saving zones', () => {
  describe('office hours keep their local times across the change', () => {
    it('Berlin, spring: Friday 16:00 CET + 2h ends Monday 10:00 CEST', () => {
      const berlin = office('Europe/Berlin');
      expect(addBusinessMinutes(berlin, utc('2026-03-27T15:00'), 120)).toEqual(utc('2026-03-30T08:00'));
      expect(businessMinutesBetween(berlin, utc('2026-03-27T15:00'), utc('2026-03-30T08:00'))).toBe(120);
    });

    it('Berlin, autumn: Friday 16:00 CEST + 2h ends Monday 10:00 CET', () => {
      expect(addBusinessMinutes(office('Europe/Berlin'), utc('2026-10-23T14:00'), 120)).toEqual(utc('2026-10-26T09:00'));
    });

    it('New York, spring and autumn', () => {
      const newYork = office('America/New_York');
      expect(addBusinessMinutes(newYork, utc('2026-03-06T21:00'), 120)).toEqual(utc('2026-03-09T14:00'));
      expect(addBusinessMinutes(newYork, utc('2026-10-30T20:00'), 120)).toEqual(utc('2026-11-02T15:00'));
      expect(nextBusinessInstant(newYork, utc('2026-03-07T12:00'))).toEqual(utc('2026-03-09T13:00')); // 09:00 EDT
      expect(nextBusinessInstant(newYork, utc('2026-10-31T12:00'))).toEqual(utc('2026-11-02T14:00')); // 09:00 EST
    });
  });

  describe('a span on the change day lasts its real length', () => {
    const sundayNight = calendar('Europe/Berlin', { 7: [{ start: '00:00', end: '06:00' }] });

    it('Berlin 00:00–06:00 is 5 hours when the clocks go forward and 7 when they go back', () => {
      expect(businessMinutesBetween(sundayNight, utc('2026-03-28T12:00'), utc('2026-03-30T00:00'))).toBe(300);
      expect(businessMinutesBetween(sundayNight, utc('2026-10-24T12:00'), utc('2026-10-26T00:00'))).toBe(420);
      expect(businessMinutesBetween(sundayNight, utc('2026-03-21T12:00'), utc('2026-03-23T00:00'))).toBe(360); // an ordinary Sunday
    });

    it('Berlin: adding across the skipped hour and the repeated hour counts real minutes', () => {
      // From 00:00 CET (23:00Z): 120 minutes to 02:00, which is 03:00 CEST; 30 more.
      expect(addBusinessMinutes(sundayNight, utc('2026-03-28T12:00'), 150)).toEqual(utc('2026-03-29T01:30')); // 03:30 CEST
      expect(addBusinessMinutes(sundayNight, utc('2026-03-28T12:00'), 300)).toEqual(utc('2026-03-29T04:00')); // 06:00 CEST
      // From 00:00 CEST (22:00Z) 240 real minutes: through 03:00 CEST, back to 02:00 CET, on to 03:00 CET.
      expect(addBusinessMinutes(sundayNight, utc('2026-10-24T12:00'), 240)).toEqual(utc('2026-10-25T02:00'));
    });

    it('New York: a day that is always working lasts 23 hours in spring and 25 in autumn', () => {
      const always = [{ start: '00:00', end: '24:00' }];
      const newYork = calendar('America/New_York', { 1: always, 2: always, 3: always, 4: always, 5: always, 6: always, 7: always });
      expect(businessMinutesBetween(newYork, utc('2026-03-08T05:00'), utc('2026-03-09T04:00'))).toBe(23 * 60);
      expect(businessMinutesBetween(newYork, utc('2026-11-01T04:00'), utc('2026-11-02T05:00'))).toBe(25 * 60);
      expect(addBusinessMinutes(newYork, utc('2026-03-08T05:00'), 24 * 60)).toEqual(utc('2026-03-09T05:00')); // 01:00 EDT
      expect(isWithinBusinessHours(newYork, utc('2026-11-01T06:30'))).toBe(true); // the repeated 01:30
    });
  });

  describe('span boundaries inside the gap or the overlap', () => {
    it('Berlin: a boundary in the skipped hour is the moment of the jump', () => {
      const gap = calendar('Europe/Berlin', { 7: [{ start: '02:30', end: '04:00' }] });
      expect(nextBusinessInstant(gap, utc('2026-03-28T12:00'))).toEqual(utc('2026-03-29T01:00')); // 03:00 CEST
      expect(businessMinutesBetween(gap, utc('2026-03-28T12:00'), utc('2026-03-30T00:00'))).toBe(60);
    });

    it('Berlin: a boundary in the repeated hour is its first occurrence', () => {
      const overlap = calendar('Europe/Berlin', { 7: [{ start: '02:30', end: '04:00' }] });
      // 02:30 CEST (00:30Z) to 04:00 CET (03:00Z).
      expect(nextBusinessInstant(overlap, utc('2026-10-24T12:00'))).toEqual(utc('2026-10-25T00:30'));
      expect(businessMinutesBetween(overlap, utc('2026-10-24T12:00'), utc('2026-10-26T00:00'))).toBe(150);
      expect(isWithinBusinessHours(overlap, utc('2026-10-25T00:15'))).toBe(false); // 02:15 CEST
      expect(isWithinBusinessHours(overlap, utc('2026-10-25T01:15'))).toBe(true); // 02:15 CET, the second time round
    });

    it('Berlin: a span wholly inside the skipped hour does not exist that day', () => {
      const skipped = calendar('Europe/Berlin', { 7: [{ start: '02:15', end: '02:45' }] });
      expect(businessMinutesBetween(skipped, utc('2026-03-28T12:00'), utc('2026-03-30T00:00'))).toBe(0);
      expect(nextBusinessInstant(skipped, utc('2026-03-28T12:00'))).toEqual(utc('2026-04-05T00:15')); // the next Sunday, 02:15 CEST
    });

    it('New York: 02:30–03:30 on the spring day is 30 minutes; 01:30–02:30 on the autumn day is 120', () => {
      const spring = calendar('America/New_York', { 7: [{ start: '02:30', end: '03:30' }] });
      expect(nextBusinessInstant(spring, utc('2026-03-07T12:00'))).toEqual(utc('2026-03-08T07:00')); // 03:00 EDT
      expect(businessMinutesBetween(spring, utc('2026-03-07T12:00'), utc('2026-03-09T00:00'))).toBe(30);
      const autumn = calendar('America/New_York', { 7: [{ start: '01:30', end: '02:30' }] });
      expect(businessMinutesBetween(autumn, utc('2026-10-31T12:00'), utc('2026-11-02T00:00'))).toBe(120); // 05:30Z–07:30Z
    });
  });

  describe('a zone that changes at midnight (America/Santiago)', () => {
    it('Sunday 00:00 does not exist on 6 Sep: the span starts at the jump', () => {
      const sunday = calendar('America/Santiago', { 7: [{ start: '00:00', end: '06:00' }] });
      expect(nextBusinessInstant(sunday, utc('2026-09-05T12:00'))).toEqual(utc('2026-09-06T04:00')); // 01:00 −03
      expect(businessMinutesBetween(sunday, utc('2026-09-05T12:00'), utc('2026-09-07T00:00'))).toBe(300);
    });

    it('Saturday 22:00–24:00 on 4 Apr includes the repeated 23:00 hour', () => {
      const saturday = calendar('America/Santiago', { 6: [{ start: '22:00', end: '24:00' }] });
      // 22:00 −03 (01:00Z) until Sunday 00:00 −04 (04:00Z).
      expect(businessMinutesBetween(saturday, utc('2026-04-04T12:00'), utc('2026-04-05T12:00'))).toBe(180);
      expect(isWithinBusinessHours(saturday, utc('2026-04-05T03:30'))).toBe(true); // 23:30 −04, the second time round
      expect(isWithinBusinessHours(saturday, utc('2026-04-05T04:00'))).toBe(false);
    });
  });
});
