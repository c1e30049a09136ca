// The business calendar's public surface; the compiled form and the zone helpers stay internal.
export {
  DEFAULT_CALENDAR_TIME_ZONE,
  ISO_WEEKDAYS,
  assertValidBusinessCalendar,
  makeUpWorkdayHours,
  validateBusinessCalendar,
  YEAR_SCHEDULE_STATUSES,
  type YearSchedule,
  type BusinessCalendar,
  type Holiday,
  type IsoWeekday,
  type MakeUpWorkday,
  type WorkingSpan,
} from './business-calendar';
export {
  BUSINESS_TIME_SEARCH_LIMIT_DAYS,
  MAX_BUSINESS_MINUTES,
  addBusinessMinutes,
  addCalendarMinutes,
  businessMinutesBetween,
  isWithinBusinessHours,
  nextBusinessInstant,
  workingHoursOn,
} from './business-time';
export {
  DEFAULT_BUSINESS_CALENDAR,
  PRC_PUBLIC_HOLIDAYS,
  PRC_PUBLIC_HOLIDAYS_2026,
  PRC_PUBLIC_HOLIDAYS_2027,
  PRC_STANDARD_WORKDAY_HOURS,
  type PublicHolidayYear,
} from './prc-holidays';
export { ALWAYS_ON_CALENDAR } from './always-on';
export { SCHEDULE_FILE_FORMATS, applyYearSchedule, parseYearScheduleFile, unconfirmedScheduleYears, type ScheduleFileFormat, type YearScheduleImport } from './schedule-import';
export { isValidTimeZone } from './zoned-time';
