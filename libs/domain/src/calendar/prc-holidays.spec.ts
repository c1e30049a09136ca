import { validateBusinessCalendar } from './business-calendar';
import { workingHoursOn } from './business-time';
import { DEFAULT_BUSINESS_CALENDAR, PRC_PUBLIC_HOLIDAYS, PRC_PUBLIC_HOLIDAYS_2026, PRC_PUBLIC_HOLIDAYS_2027 } from './prc-holidays';

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday, 6 = Saturday
const datesOf = (entries: readonly { date: string; name: string }[], name: string) => entries.filter((entry) => entry.name.includes(name)).map((entry) => entry.date);

describe('the shipped PRC public-holiday data', () => {
  it('has the 2026 schedule the State Council announced', () => {
    const { holidays, makeUpWorkdays } = PRC_PUBLIC_HOLIDAYS_2026;
    expect(PRC_PUBLIC_HOLIDAYS_2026.provisional).toBe(false);
    expect(datesOf(holidays, '元旦')).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
    const springFestival = ['15', '16', '17', '18', '19', '20', '21', '22', '23'].map((day) => `2026-02-${day}`);
    expect(datesOf(holidays, '春节')).toEqual(springFestival);
    expect(datesOf(holidays, '清明')).toEqual(['2026-04-04', '2026-04-05', '2026-04-06']);
    expect(datesOf(holidays, '劳动节')).toEqual(['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05']);
    expect(datesOf(holidays, '端午')).toEqual(['2026-06-19', '2026-06-20', '2026-06-21']);
    expect(datesOf(holidays, '中秋')).toEqual(['2026-09-25', '2026-09-26', '2026-09-27']);
    expect(datesOf(holidays, '国庆')).toEqual(['1', '2', '3', '4', '5', '6', '7'].map((day) => `2026-10-0${day}`));
    expect(makeUpWorkdays.map((day) => day.date)).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  });

  it('puts every 2026 make-up working day on a weekend, with the normal weekday hours', () => {
    for (const day of PRC_PUBLIC_HOLIDAYS_2026.makeUpWorkdays) {
      expect([0, 6]).toContain(weekday(day.date));
      expect(day.hours).toBeUndefined();
    }
  });

  it('balances each 2026 break: weekdays off = statutory days + make-up days worked', () => {
    // Statutory days (2024 revision): New Year 1, Spring Festival 4, Qingming 1, Labour Day 2,
    // Dragon Boat 1, Mid-Autumn 1, National Day 3 — 13 in all, every one of them a weekday
    // off or compensated by one.
    const weekdaysOff = PRC_PUBLIC_HOLIDAYS_2026.holidays.filter((holiday) => ![0, 6].includes(weekday(holiday.date))).length;
    expect(weekdaysOff).toBe(13 + PRC_PUBLIC_HOLIDAYS_2026.makeUpWorkdays.length);
  });

  it('marks 2027 as provisional and holds only its statutory days', () => {
    expect(PRC_PUBLIC_HOLIDAYS_2027.provisional).toBe(true);
    expect(PRC_PUBLIC_HOLIDAYS_2027.source).toMatch(/provisional/i);
    expect(PRC_PUBLIC_HOLIDAYS_2027.holidays.map((holiday) => holiday.date)).toEqual([
      '2027-01-01',
      '2027-02-05',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-04-05',
      '2027-05-01',
      '2027-05-02',
      '2027-06-09',
      '2027-09-15',
      '2027-10-01',
      '2027-10-02',
      '2027-10-03',
    ]);
    expect(PRC_PUBLIC_HOLIDAYS_2027.makeUpWorkdays).toEqual([]);
  });

  it('builds a valid, frozen default calendar from every shipped year', () => {
    expect(validateBusinessCalendar(DEFAULT_BUSINESS_CALENDAR)).toEqual([]);
    expect(DEFAULT_BUSINESS_CALENDAR.timeZone).toBe('Asia/Shanghai');
    expect(DEFAULT_BUSINESS_CALENDAR.holidays).toHaveLength(PRC_PUBLIC_HOLIDAYS.reduce((sum, year) => sum + year.holidays.length, 0));
    expect(Object.isFrozen(DEFAULT_BUSINESS_CALENDAR)).toBe(true);
    expect(Object.isFrozen(DEFAULT_BUSINESS_CALENDAR.weeklyHours[1])).toBe(true);
    expect(Object.isFrozen(PRC_PUBLIC_HOLIDAYS_2026.holidays[0])).toBe(true);
    expect(workingHoursOn(DEFAULT_BUSINESS_CALENDAR, '2026-10-01')).toEqual([]);
    expect(workingHoursOn(DEFAULT_BUSINESS_CALENDAR, '2026-02-28')).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '18:00' },
    ]);
  });
});
