import { DomainError, DomainErrorCode } from '../errors';
import { compileBusinessCalendar, spansOnDay, type BusinessCalendar, type CompiledCalendar, type WorkingSpan } from './business-calendar';
import { instantAtWallTime, localDayNumber, MINUTE_MS, parseIsoDate } from './zoned-time';

/**
 * Business-time arithmetic. Every instant is a `Date` (a UTC instant); working hours are local
 * wall-clock time in the calendar's zone, converted per date, so a span on a daylight-saving
 * change day lasts as many real minutes as the clock on the wall says it does:
 *  - the part of a span that falls into a spring-forward gap does not exist and is not counted
 *    (00:00–06:00 on the day New York jumps from 02:00 to 03:00 is 5 hours; a span boundary in
 *    the gap, say 02:30, is the moment of the jump);
 *  - the repeated hour of a fall-back overlap is counted twice when the span covers it
 *    (00:00–06:00 on the day New York goes from 02:00 back to 01:00 is 7 hours; a span
 *    boundary in the overlap, say 01:30, is its first occurrence, so a span 01:30–04:00 covers
 *    the repeated hour from 01:30 daylight time on).
 * The arithmetic walks day by day and span by span, never minute by minute. Intervals are
 * half-open: a span 09:00–18:00 contains 09:00 and not 18:00.
 *
 * The calendar is validated (a DomainError ValidationFailed if it is invalid) and compiled once
 * per calendar object, which is a value: changing a calendar means a new object, so nothing is
 * read stale. Compiled calendars keep the instants of the dates they were asked for, and the
 * zones' UTC offsets are cached (see zoned-time.ts).
 */

/**
 * How far the arithmetic looks for working time before giving up on a calendar (a calendar
 * with no working hours at all, or only make-up days long past): three years of dates.
 */
export const BUSINESS_TIME_SEARCH_LIMIT_DAYS = 3 * 366;

/**
 * The largest duration `addBusinessMinutes` accepts: ten years of minutes. SLA durations are
 * hours or days; anything near this is a unit mix-up, refused instead of walked.
 */
export const MAX_BUSINESS_MINUTES = 10 * 366 * 24 * 60;

/**
 * The instant at which `minutes` of working time have passed since `start`: the earliest instant
 * `t` with `businessMinutesBetween(calendar, start, t) === minutes`. Hence:
 *  - zero minutes gives `start` itself, even outside working hours (use `nextBusinessInstant` to
 *    roll forward to when work resumes);
 *  - a duration that uses up a span exactly ends at that span's end (Friday 17:00 + 60 minutes
 *    with 09:00–18:00 hours is Friday 18:00, not Monday 09:00).
 * `minutes` must be finite, at least 0 and at most MAX_BUSINESS_MINUTES; fractions are kept to
 * the millisecond. Throws a DomainError when the calendar has no working time within
 * BUSINESS_TIME_SEARCH_LIMIT_DAYS of the point reached.
 */
export function addBusinessMinutes(calendar: BusinessCalendar, start: Date, minutes: number): Date {
  const startMs = instantMs(start, 'start');
  if (!Number.isFinite(minutes) || minutes < 0 || minutes > MAX_BUSINESS_MINUTES) {
    throw new RangeError(`minutes must be a number from 0 to ${MAX_BUSINESS_MINUTES}, got ${minutes}`);
  }
  const compiled = compileBusinessCalendar(calendar);
  let remainingMs = Math.round(minutes * MINUTE_MS);
  if (remainingMs === 0) return new Date(startMs);
  for (const interval of workingIntervals(compiled, startMs)) {
    const length = interval.end - interval.start;
    if (remainingMs <= length) return new Date(interval.start + remainingMs);
    remainingMs -= length;
  }
  throw new Error('unreachable: workingIntervals without an end yields or throws');
}

/**
 * The working time between two instants, in minutes (fractional when the instants are not whole
 * minutes apart in working time). Signed: zero when `from` equals `to`, negative when `to` is
 * before `from` (`businessMinutesBetween(c, a, b) === -businessMinutesBetween(c, b, a)`), so a
 * deadline's "overdue by" reads naturally. A calendar with no working time simply gives 0.
 */
export function businessMinutesBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  const fromMs = instantMs(from, 'from');
  const toMs = instantMs(to, 'to');
  const compiled = compileBusinessCalendar(calendar);
  if (toMs >= fromMs) return workingMsBetween(compiled, fromMs, toMs) / MINUTE_MS;
  const backwards = workingMsBetween(compiled, toMs, fromMs);
  return backwards === 0 ? 0 : -backwards / MINUTE_MS; // never -0
}

/** Whether `instant` is inside a working span (its start included, its end not). */
export function isWithinBusinessHours(calendar: BusinessCalendar, instant: Date): boolean {
  const ms = instantMs(instant, 'instant');
  const compiled = compileBusinessCalendar(calendar);
  const day = localDayNumber(compiled.timeZone, ms);
  // The neighbouring dates too: where a zone falls back across midnight, an instant's local date
  // can differ from the date whose span contains it.
  for (let candidate = day - 1; candidate <= day + 1; candidate++) {
    if (intervalsOnDay(compiled, candidate).some((interval) => interval.start <= ms && ms < interval.end)) return true;
  }
  return false;
}

/**
 * `instant` itself when it is within working hours, otherwise the start of the next working
 * span. Throws a DomainError when there is none within BUSINESS_TIME_SEARCH_LIMIT_DAYS.
 */
export function nextBusinessInstant(calendar: BusinessCalendar, instant: Date): Date {
  const ms = instantMs(instant, 'instant');
  const compiled = compileBusinessCalendar(calendar);
  for (const interval of workingIntervals(compiled, ms)) return new Date(interval.start);
  throw new Error('unreachable: workingIntervals without an end yields or throws');
}

/** Wall-clock time: `start` plus `minutes` of real time, whatever the calendar. */
export function addCalendarMinutes(start: Date, minutes: number): Date {
  const startMs = instantMs(start, 'start');
  if (!Number.isFinite(minutes)) throw new RangeError(`minutes must be a finite number, got ${minutes}`);
  return new Date(startMs + Math.round(minutes * MINUTE_MS));
}

/**
 * The working hours of one local date ("YYYY-MM-DD") as the calendar defines them: [] on a
 * holiday, a make-up day's hours, otherwise the weekday's. For screens that explain a deadline.
 */
export function workingHoursOn(calendar: BusinessCalendar, date: string): WorkingSpan[] {
  const day = parseIsoDate(date);
  if (day === undefined) throw new RangeError(`date must be a calendar date "YYYY-MM-DD", got ${date}`);
  return spansOnDay(compileBusinessCalendar(calendar), day).map((span) => ({ start: clock(span.start), end: clock(span.end) }));
}

interface Interval {
  start: number;
  end: number;
}

/**
 * The intervals of each date a compiled calendar was asked for. A compiled calendar stands for one
 * calendar object, which is a value (see compileBusinessCalendar), and a date's intervals depend
 * only on it and the zone's rules: they never go stale. Converting a date's spans to instants
 * was most of the arithmetic: placing a resolution clock's three reminders and breach walks two
 * weeks of dates four times (31 µs a call before, 5.7 µs with this; docs/benchmarks.md round 24).
 * Bounded per calendar so that a long-running process cannot grow it without limit.
 */
const intervalsByDay = new WeakMap<CompiledCalendar, Map<number, readonly Interval[]>>();
const MAX_DAYS_PER_CALENDAR = 20_000;

/** The real-time intervals of a local date's spans, empty ones (wholly in a DST gap) left out. */
function intervalsOnDay(calendar: CompiledCalendar, day: number): readonly Interval[] {
  let days = intervalsByDay.get(calendar);
  if (!days) intervalsByDay.set(calendar, (days = new Map<number, readonly Interval[]>()));
  let intervals = days.get(day);
  if (intervals === undefined) {
    if (days.size >= MAX_DAYS_PER_CALENDAR) days.clear();
    intervals = convertedIntervalsOnDay(calendar, day);
    days.set(day, intervals);
  }
  return intervals;
}

function convertedIntervalsOnDay(calendar: CompiledCalendar, day: number): readonly Interval[] {
  const intervals: Interval[] = [];
  for (const span of spansOnDay(calendar, day)) {
    const start = instantAtWallTime(calendar.timeZone, day, span.start);
    const end = instantAtWallTime(calendar.timeZone, day, span.end);
    if (end > start) intervals.push(Object.freeze({ start, end }));
  }
  return Object.freeze(intervals);
}

/**
 * The working intervals from `fromMs` on, in order, the first one clipped to start no earlier
 * than `fromMs`. Without `untilMs` it runs until the caller stops, and throws once
 * BUSINESS_TIME_SEARCH_LIMIT_DAYS pass without working time; with it, it stops at the date after
 * `untilMs` (the caller clips the last interval).
 */
function* workingIntervals(calendar: CompiledCalendar, fromMs: number, untilMs?: number): Generator<Interval> {
  const firstDay = localDayNumber(calendar.timeZone, fromMs) - 1; // see isWithinBusinessHours
  const lastDay = untilMs === undefined ? Number.POSITIVE_INFINITY : localDayNumber(calendar.timeZone, untilMs) + 1;
  let lastWorkedDay = firstDay;
  let searchingFromMs = fromMs; // where the current stretch without working time began
  for (let day = firstDay; day <= lastDay; day++) {
    if (untilMs === undefined) {
      const exhausted = !calendar.hasWeeklyHours && day > calendar.lastMakeUpDay;
      if (exhausted || day - lastWorkedDay > BUSINESS_TIME_SEARCH_LIMIT_DAYS) throw noWorkingTime(calendar, searchingFromMs);
    }
    for (const interval of intervalsOnDay(calendar, day)) {
      if (interval.end <= fromMs) continue;
      lastWorkedDay = day;
      searchingFromMs = interval.end;
      yield { start: Math.max(interval.start, fromMs), end: interval.end };
    }
  }
}

function workingMsBetween(calendar: CompiledCalendar, fromMs: number, toMs: number): number {
  let total = 0;
  if (toMs === fromMs) return total;
  for (const interval of workingIntervals(calendar, fromMs, toMs)) {
    if (interval.start >= toMs) break;
    total += Math.min(interval.end, toMs) - interval.start;
  }
  return total;
}

function noWorkingTime(calendar: CompiledCalendar, fromMs: number): DomainError {
  const from = new Date(fromMs).toISOString();
  return new DomainError(
    DomainErrorCode.ValidationFailed,
    `The business calendar "${calendar.id}" has no working time within ${BUSINESS_TIME_SEARCH_LIMIT_DAYS} days after ${from}.`,
    {
      calendarId: calendar.id,
      from,
      fields: [{ path: 'weeklyHours', message: 'the calendar has no working time: give some weekday working hours' }],
    },
  );
}

function instantMs(value: Date, field: string): number {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`${field} must be a valid Date`);
  return ms;
}

function clock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
