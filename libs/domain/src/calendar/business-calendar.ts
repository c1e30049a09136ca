import { DomainError, DomainErrorCode, type FieldIssue } from '../errors';
import { isoWeekdayOf, isValidTimeZone, parseIsoDate } from './zoned-time';

/** ISO weekday: Monday = 1 … Sunday = 7. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const ISO_WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];

/**
 * One stretch of working time in local wall-clock time, "HH:MM" 24-hour. `end` is exclusive and
 * may be "24:00" (until midnight). A span never crosses midnight: a night shift is two spans,
 * "22:00"–"24:00" on one day and "00:00"–"06:00" on the next, which join without a break.
 */
export interface WorkingSpan {
  start: string;
  end: string;
}

/** A local date ("YYYY-MM-DD") on which nobody works, whatever its weekday. */
export interface Holiday {
  date: string;
  name: string;
}

/**
 * A local date that is worked although its weekday normally is not — China's 调休 make-up
 * working day, a Saturday or Sunday worked to bridge a long holiday. Without `hours` it has the
 * calendar's normal weekday hours (see `makeUpWorkdayHours`); with them, exactly those.
 */
export interface MakeUpWorkday {
  date: string;
  name: string;
  hours?: readonly WorkingSpan[];
}

/**
 * How far a year's public-holiday schedule can be trusted: `confirmed` once it is the announced
 * one (China's State Council publishes the next year's in November or so), `provisional` while it
 * holds only what is known in advance. The admin UI warns while this year or the next is not
 * confirmed, since deadlines in an unconfirmed year may move.
 */
export interface YearSchedule {
  year: number;
  status: 'confirmed' | 'provisional';
  /** Where the dates come from (the announcement, the file imported). */
  source?: string;
}

export const YEAR_SCHEDULE_STATUSES: readonly YearSchedule['status'][] = ['confirmed', 'provisional'];

/**
 * When work happens, in the local time of `timeZone` (an IANA zone name). The weekly hours give
 * each weekday its spans in order (an empty list for a day off); holidays remove whole dates;
 * make-up working days add whole dates back. A date may not be both.
 */
export interface BusinessCalendar {
  id: string;
  name: string;
  timeZone: string;
  weeklyHours: Readonly<Record<IsoWeekday, readonly WorkingSpan[]>>;
  holidays: readonly Holiday[];
  makeUpWorkdays: readonly MakeUpWorkday[];
  /** The years whose holidays follow a published schedule; absent in calendars that follow none (24/7). */
  schedules?: readonly YearSchedule[];
}

/** The zone a calendar is in unless it says otherwise (the wallet's home market). */
export const DEFAULT_CALENDAR_TIME_ZONE = 'Asia/Shanghai';

/** "HH:MM" → minutes since midnight, or undefined. "24:00" only where `allowMidnightEnd`. */
export function parseClockTime(text: unknown, allowMidnightEnd: boolean): number | undefined {
  if (typeof text !== 'string') return undefined;
  if (text === '24:00') return allowMidnightEnd ? 24 * 60 : undefined;
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/**
 * The field errors of a calendar, empty when it is valid. Takes `unknown` so an API body can be
 * checked as it arrives; paths are dot-joined like the rest of the domain's FieldIssues
 * ("weeklyHours.1.0.end", "holidays.3.date").
 */
export function validateBusinessCalendar(input: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const issue = (path: string, message: string) => issues.push({ path, message });

  if (!isRecord(input)) return [{ path: '', message: 'must be an object' }];
  for (const field of ['id', 'name'] as const) {
    if (typeof input[field] !== 'string' || (input[field] as string).trim() === '') issue(field, 'must be a non-empty string');
  }
  if (!isValidTimeZone(input.timeZone)) issue('timeZone', `must be an IANA time-zone name such as "${DEFAULT_CALENDAR_TIME_ZONE}"`);

  const weeklyHours = input.weeklyHours;
  if (!isRecord(weeklyHours)) {
    issue('weeklyHours', 'must be an object with the keys 1 (Monday) to 7 (Sunday)');
  } else {
    for (const key of Object.keys(weeklyHours)) {
      if (!ISO_WEEKDAYS.map(String).includes(key)) issue(`weeklyHours.${key}`, 'is not an ISO weekday (1 = Monday … 7 = Sunday)');
    }
    for (const weekday of ISO_WEEKDAYS) {
      const spans = weeklyHours[weekday];
      if (spans === undefined) issue(`weeklyHours.${weekday}`, 'is missing (use [] for a day without working hours)');
      else validateSpans(spans, `weeklyHours.${weekday}`, issue);
    }
  }

  const holidayDates = new Map<number, number>();
  if (!Array.isArray(input.holidays)) {
    issue('holidays', 'must be an array');
  } else {
    input.holidays.forEach((holiday: unknown, index) => {
      const path = `holidays.${index}`;
      if (!isRecord(holiday)) return issue(path, 'must be an object with date and name');
      validateName(holiday.name, `${path}.name`, issue);
      const day = parseIsoDate(holiday.date);
      if (day === undefined) return issue(`${path}.date`, 'must be a calendar date "YYYY-MM-DD"');
      const first = holidayDates.get(day);
      if (first !== undefined) return issue(`${path}.date`, `is already a holiday (holidays.${first})`);
      holidayDates.set(day, index);
    });
  }

  const makeUpDates = new Map<number, number>();
  if (!Array.isArray(input.makeUpWorkdays)) {
    issue('makeUpWorkdays', 'must be an array');
  } else {
    input.makeUpWorkdays.forEach((workday: unknown, index) => {
      const path = `makeUpWorkdays.${index}`;
      if (!isRecord(workday)) return issue(path, 'must be an object with date, name and optional hours');
      validateName(workday.name, `${path}.name`, issue);
      if (workday.hours !== undefined) {
        validateSpans(workday.hours, `${path}.hours`, issue);
        if (Array.isArray(workday.hours) && workday.hours.length === 0) {
          issue(`${path}.hours`, 'must list at least one span (leave it out for the normal weekday hours)');
        }
      } else if (isRecord(weeklyHours) && standardWeekdaySpans(weeklyHours) === undefined) {
        issue(`${path}.hours`, 'is required: no weekday Monday to Friday has working hours to copy');
      }
      const day = parseIsoDate(workday.date);
      if (day === undefined) return issue(`${path}.date`, 'must be a calendar date "YYYY-MM-DD"');
      const first = makeUpDates.get(day);
      if (first !== undefined) return issue(`${path}.date`, `is already a make-up working day (makeUpWorkdays.${first})`);
      const holiday = holidayDates.get(day);
      if (holiday !== undefined) return issue(`${path}.date`, `is also a holiday (holidays.${holiday}); a date is one or the other`);
      makeUpDates.set(day, index);
    });
  }

  if (input.schedules !== undefined) validateSchedules(input.schedules, issue);
  return issues;
}

function validateSchedules(schedules: unknown, issue: (path: string, message: string) => void): void {
  if (!Array.isArray(schedules)) return issue('schedules', 'must be an array of {year, status, source?}');
  const years = new Map<number, number>();
  schedules.forEach((schedule: unknown, index) => {
    const path = `schedules.${index}`;
    if (!isRecord(schedule)) return issue(path, 'must be an object with year, status and optional source');
    if (!YEAR_SCHEDULE_STATUSES.includes(schedule.status as YearSchedule['status'])) issue(`${path}.status`, 'must be "confirmed" or "provisional"');
    if (schedule.source !== undefined && (typeof schedule.source !== 'string' || schedule.source.length > 500))
      issue(`${path}.source`, 'must be a string of at most 500 characters');
    const year = schedule.year;
    if (typeof year !== 'number' || !Number.isInteger(year) || year < MIN_SCHEDULE_YEAR || year > MAX_SCHEDULE_YEAR) {
      return issue(`${path}.year`, `must be a year from ${MIN_SCHEDULE_YEAR} to ${MAX_SCHEDULE_YEAR}`);
    }
    const first = years.get(year);
    if (first !== undefined) return issue(`${path}.year`, `is already listed (schedules.${first})`);
    years.set(year, index);
  });
}

export const MIN_SCHEDULE_YEAR = 2000;
export const MAX_SCHEDULE_YEAR = 2100;

/** Throws a ValidationFailed DomainError listing every field error. */
export function assertValidBusinessCalendar(input: unknown): asserts input is BusinessCalendar {
  const fields = validateBusinessCalendar(input);
  if (fields.length > 0) {
    const id = isRecord(input) && typeof input.id === 'string' ? ` "${input.id}"` : '';
    throw new DomainError(DomainErrorCode.ValidationFailed, `The business calendar${id} is invalid.`, { fields });
  }
}

/**
 * The hours of a make-up working day that gives none: those of the first weekday, Monday to
 * Friday, that has working hours (Monday's in every ordinary calendar). China's make-up days are
 * announced as "上班" — a normal working day — without naming hours.
 */
export function makeUpWorkdayHours(calendar: BusinessCalendar, workday: MakeUpWorkday): readonly WorkingSpan[] {
  return workday.hours ?? standardWeekdaySpans(calendar.weeklyHours) ?? [];
}

/** A span in minutes since local midnight, end exclusive. */
export interface MinuteSpan {
  start: number;
  end: number;
}

/** A validated calendar in the form the arithmetic reads: minutes and day numbers. */
export interface CompiledCalendar {
  id: string;
  timeZone: string;
  /** Indexed by ISO weekday; index 0 unused. */
  weekly: readonly (readonly MinuteSpan[])[];
  holidays: ReadonlySet<number>;
  makeUpDays: ReadonlyMap<number, readonly MinuteSpan[]>;
  /** Whether any weekday has working hours (if not, only make-up days are worked). */
  hasWeeklyHours: boolean;
  /** The last make-up day, or -Infinity. */
  lastMakeUpDay: number;
}

/**
 * Compiled calendars by the calendar object they came from. A calendar is a value: callers build
 * a new object to change one (the SLA catalogue replaces its copies on reload), so the object is
 * the key. Compiling validates and parses every holiday and make-up day, which for a calendar
 * with years of schedules cost more than the business-time arithmetic of a whole transition.
 */
const compiledCalendars = new WeakMap<BusinessCalendar, CompiledCalendar>();

/** Validates (throwing a DomainError) and converts, once per calendar object. */
export function compileBusinessCalendar(calendar: BusinessCalendar): CompiledCalendar {
  let compiled = compiledCalendars.get(calendar);
  if (!compiled) {
    compiled = compileUncached(calendar);
    compiledCalendars.set(calendar, compiled);
  }
  return compiled;
}

function compileUncached(calendar: BusinessCalendar): CompiledCalendar {
  assertValidBusinessCalendar(calendar);
  const weekly: MinuteSpan[][] = [[]];
  for (const weekday of ISO_WEEKDAYS) weekly[weekday] = toMinuteSpans(calendar.weeklyHours[weekday]);
  const makeUpDays = new Map<number, MinuteSpan[]>();
  for (const workday of calendar.makeUpWorkdays) {
    makeUpDays.set(parseIsoDate(workday.date) as number, toMinuteSpans(makeUpWorkdayHours(calendar, workday)));
  }
  return {
    id: calendar.id,
    timeZone: calendar.timeZone,
    weekly,
    holidays: new Set(calendar.holidays.map((holiday) => parseIsoDate(holiday.date) as number)),
    makeUpDays,
    hasWeeklyHours: weekly.some((spans) => spans.length > 0),
    lastMakeUpDay: Math.max(Number.NEGATIVE_INFINITY, ...makeUpDays.keys()),
  };
}

/** The working spans of one local date: none on a holiday, a make-up day's own, else the weekday's. */
export function spansOnDay(calendar: CompiledCalendar, dayNumber: number): readonly MinuteSpan[] {
  if (calendar.holidays.has(dayNumber)) return [];
  return calendar.makeUpDays.get(dayNumber) ?? calendar.weekly[isoWeekdayOf(dayNumber)];
}

function toMinuteSpans(spans: readonly WorkingSpan[]): MinuteSpan[] {
  return spans.map((span) => ({ start: parseClockTime(span.start, false) as number, end: parseClockTime(span.end, true) as number }));
}

function standardWeekdaySpans(weeklyHours: Record<string | number, unknown>): readonly WorkingSpan[] | undefined {
  for (const weekday of [1, 2, 3, 4, 5]) {
    const spans = weeklyHours[weekday];
    if (Array.isArray(spans) && spans.length > 0) return spans as WorkingSpan[];
  }
  return undefined;
}

function validateSpans(spans: unknown, path: string, issue: (path: string, message: string) => void): void {
  if (!Array.isArray(spans)) return issue(path, 'must be an array of {start, end} spans');
  let previousEnd: number | undefined;
  spans.forEach((span: unknown, index) => {
    const spanPath = `${path}.${index}`;
    if (!isRecord(span)) return issue(spanPath, 'must be an object with start and end "HH:MM"');
    const start = parseClockTime(span.start, false);
    const end = parseClockTime(span.end, true);
    if (start === undefined) issue(`${spanPath}.start`, 'must be a time "HH:MM" from 00:00 to 23:59');
    if (end === undefined) issue(`${spanPath}.end`, 'must be a time "HH:MM" from 00:00 to 24:00');
    if (start === undefined || end === undefined) return;
    if (start >= end) {
      return issue(spanPath, `must start before it ends (${span.start} is not before ${span.end}); a span may not cross midnight`);
    }
    if (previousEnd !== undefined && start < previousEnd) {
      issue(`${spanPath}.start`, 'overlaps or precedes the previous span; list spans in order without overlap');
    }
    previousEnd = Math.max(previousEnd ?? end, end);
  });
}

function validateName(name: unknown, path: string, issue: (path: string, message: string) => void): void {
  if (typeof name !== 'string' || name.trim() === '') issue(path, 'must be a non-empty string');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
