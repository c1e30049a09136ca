import type { BusinessCalendar } from './business-calendar';
import { addBusinessMinutes, businessMinutesBetween, isWithinBusinessHours, nextBusinessInstant, workingHoursOn } from './business-time';
import { DEFAULT_BUSINESS_CALENDAR } from './prc-holidays';

// Expectations follow the shipped 2026 schedule: National Day 1–7 Oct (Thu–Wed) with make-up
// days Sun 20 Sep and Sat 10 Oct; Spring Festival 15–23 Feb with make-up Saturdays 14 and 28
// Feb; Qingming 4–6 Apr; Labour Day 1–5 May with make-up Saturday 9 May.
const DAY = [{ start: '09:00', end: '18:00' }];
const NINE_TO_SIX_PRC: BusinessCalendar = {
  ...DEFAULT_BUSINESS_CALENDAR,
  id: 'nine-to-six-prc',
  weeklyHours: { 1: DAY, 2: DAY, 3: DAY, 4: DAY, 5: DAY, 6: [], 7: [] },
};
const DEFAULT = DEFAULT_BUSINESS_CALENDAR;
const at = (localIso: string) => new Date(`${localIso}+08:00`);

describe('business time over the 2026 PRC public holidays', () => {
  describe('National Day', () => {
    it('carries Wednesday 30 Sep 17:00 + 2 business hours over 1–7 Oct to Thursday 8 Oct 10:00', () => {
      // 17:00–18:00 on 30 Sep is one hour; 1–7 Oct are off; 8 Oct is an ordinary Thursday.
      expect(addBusinessMinutes(NINE_TO_SIX_PRC, at('2026-09-30T17:00'), 120)).toEqual(at('2026-10-08T10:00'));
      expect(addBusinessMinutes(DEFAULT, at('2026-09-30T17:00'), 120)).toEqual(at('2026-10-08T10:00'));
    });

    it('works the make-up Saturday 10 Oct: three business days from 30 Sep 17:00 end there at 17:00', () => {
      // Default calendar, 480 a day: 30 Sep 60, 8 Oct 480, 9 Oct 480 (1020), 10 Oct 180 in the
      // morning (1200) and 240 after lunch: 13:00 + 240 = 17:00.
      expect(addBusinessMinutes(DEFAULT, at('2026-09-30T17:00'), 3 * 480)).toEqual(at('2026-10-10T17:00'));
    });

    it('counts no business time during the holiday', () => {
      expect(businessMinutesBetween(DEFAULT, at('2026-09-30T18:00'), at('2026-10-08T09:00'))).toBe(0);
      expect(isWithinBusinessHours(DEFAULT, at('2026-10-05T10:00'))).toBe(false); // a Monday
      expect(nextBusinessInstant(DEFAULT, at('2026-10-01T10:00'))).toEqual(at('2026-10-08T09:00'));
    });
  });

  describe('make-up working days', () => {
    it('counts a make-up Saturday as a working day with normal weekday hours', () => {
      expect(isWithinBusinessHours(DEFAULT, at('2026-10-10T10:00'))).toBe(true);
      expect(isWithinBusinessHours(DEFAULT, at('2026-10-10T12:30'))).toBe(false); // lunch, as on a weekday
      expect(isWithinBusinessHours(DEFAULT, at('2026-10-17T10:00'))).toBe(false); // an ordinary Saturday
      expect(workingHoursOn(DEFAULT, '2026-10-10')).toEqual(workingHoursOn(DEFAULT, '2026-10-12'));
    });

    it('counts a make-up Sunday (20 Sep) as a working day', () => {
      // Saturday 19 Sep 10:00 + 60: Saturday is off, Sunday 20 Sep is worked from 09:00.
      expect(addBusinessMinutes(DEFAULT, at('2026-09-19T10:00'), 60)).toEqual(at('2026-09-20T10:00'));
      expect(businessMinutesBetween(DEFAULT, at('2026-09-18T18:00'), at('2026-09-21T09:00'))).toBe(480);
    });

    it('works Saturday 14 Feb before the Spring Festival and resumes on Tuesday 24 Feb', () => {
      // Friday 13 Feb 17:30 + 60: 30 on Friday, 30 on the make-up Saturday.
      expect(addBusinessMinutes(NINE_TO_SIX_PRC, at('2026-02-13T17:30'), 60)).toEqual(at('2026-02-14T09:30'));
      // Saturday 14 Feb 17:00 + 120: 60 that evening, then 15–23 Feb off, 60 on Tuesday 24 Feb.
      expect(addBusinessMinutes(NINE_TO_SIX_PRC, at('2026-02-14T17:00'), 120)).toEqual(at('2026-02-24T10:00'));
    });

    it('uses a make-up day’s own hours when it gives them', () => {
      const shortSaturday: BusinessCalendar = {
        ...NINE_TO_SIX_PRC,
        makeUpWorkdays: [{ date: '2026-10-10', name: 'half day', hours: [{ start: '10:00', end: '12:00' }] }],
      };
      // 8 Oct 540 + 9 Oct 540 = 1080 from 8 Oct 09:00; 30 more land at 10:30 on 10 Oct.
      expect(addBusinessMinutes(shortSaturday, at('2026-10-08T09:00'), 1110)).toEqual(at('2026-10-10T10:30'));
      // 121 after 10 Oct 10:00: 120 that morning, then Monday 12 Oct 09:01.
      expect(addBusinessMinutes(shortSaturday, at('2026-10-10T10:00'), 121)).toEqual(at('2026-10-12T09:01'));
    });
  });

  describe('business minutes between instants across a weekend and a holiday', () => {
    it('skips the Qingming weekend (Sat 4 – Mon 6 Apr)', () => {
      // Thu 2 Apr 16:00–18:00 (120), Fri 3 Apr (480), 4–6 Apr off, Tue 7 Apr 09:00–10:00 (60).
      expect(businessMinutesBetween(DEFAULT, at('2026-04-02T16:00'), at('2026-04-07T10:00'))).toBe(660);
      expect(businessMinutesBetween(DEFAULT, at('2026-04-07T10:00'), at('2026-04-02T16:00'))).toBe(-660);
    });

    it('skips Labour Day and counts its make-up Saturday', () => {
      // Thu 30 Apr 17:00–18:00 (60), 1–5 May off, Wed 6 – Fri 8 May (3 × 480), Sat 9 May 09:00–12:00 (180).
      expect(businessMinutesBetween(DEFAULT, at('2026-04-30T17:00'), at('2026-05-09T12:00'))).toBe(1680);
    });

    it('skips the New Year break and works Sunday 4 Jan', () => {
      // Wed 31 Dec 2025 17:00–18:00 (60), 1–3 Jan off, Sun 4 Jan worked (480), Mon 5 Jan 09:00–10:00 (60).
      expect(businessMinutesBetween(DEFAULT, at('2025-12-31T17:00'), at('2026-01-05T10:00'))).toBe(600);
    });
  });
});
