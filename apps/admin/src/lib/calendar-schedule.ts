import type { BusinessCalendar } from '../api/config-types';

/**
 * The years from `from` to `from + 1` whose holiday schedule a calendar does not have confirmed:
 * the calendars page's banner. A calendar with no holidays and no schedules (24/7) follows no
 * published schedule, so it is never named. (The same rule as libs/domain's unconfirmedScheduleYears.)
 */
export function unconfirmedScheduleYears(calendar: BusinessCalendar, from: number): number[] {
  const followsSchedules = calendar.schedules !== undefined || calendar.holidays.length > 0 || calendar.makeUpWorkdays.length > 0;
  if (!followsSchedules) return [];
  return [from, from + 1].filter((year) => !calendar.schedules?.some((schedule) => schedule.year === year && schedule.status === 'confirmed'));
}
