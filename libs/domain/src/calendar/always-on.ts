import type { BusinessCalendar, WorkingSpan } from './business-calendar';

const WHOLE_DAY: readonly WorkingSpan[] = Object.freeze([Object.freeze({ start: '00:00', end: '24:00' })]);

/**
 * Every minute counts: 24 hours a day, 7 days a week, no holidays. For work that cannot wait for
 * office hours, such as a stolen account (the urgent default policy runs on it), so a business
 * target on it equals the same wall-clock time.
 */
export const ALWAYS_ON_CALENDAR: Readonly<BusinessCalendar> = Object.freeze<BusinessCalendar>({
  id: 'always-on',
  name: '全天候 24/7',
  timeZone: 'Asia/Shanghai',
  weeklyHours: Object.freeze({ 1: WHOLE_DAY, 2: WHOLE_DAY, 3: WHOLE_DAY, 4: WHOLE_DAY, 5: WHOLE_DAY, 6: WHOLE_DAY, 7: WHOLE_DAY }),
  holidays: Object.freeze([]),
  makeUpWorkdays: Object.freeze([]),
});
