import { DomainError, DomainErrorCode, type FieldIssue } from '../errors';
import { assertValidBusinessCalendar, MAX_SCHEDULE_YEAR, MIN_SCHEDULE_YEAR, type BusinessCalendar, type Holiday, type MakeUpWorkday, type YearSchedule } from './business-calendar';
import { formatIsoDate, parseIsoDate } from './zoned-time';

export type ScheduleFileFormat = 'json' | 'ics';
export const SCHEDULE_FILE_FORMATS: readonly ScheduleFileFormat[] = ['json', 'ics'];

/** One year's public holidays and make-up working days, as read from a file. */
export interface YearScheduleImport {
  year: number;
  status: YearSchedule['status'];
  source?: string;
  holidays: Holiday[];
  makeUpWorkdays: MakeUpWorkday[];
}

/** A holiday period in a file is a few days long; anything longer is a mistake, not a holiday. */
const MAX_EVENT_DAYS = 31;
const MAX_DAYS_PER_YEAR = 366;
/** Control characters have no place in a holiday's name (and PostgreSQL cannot store NUL in jsonb). */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's whole job.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const isName = (text: unknown): text is string => typeof text === 'string' && text.trim() !== '' && text.length <= 200 && !CONTROL.test(text);

/**
 * Reads a year's schedule from a file's text. Every date must fall in `year`; anything the
 * reader cannot make sense of is a ValidationFailed DomainError whose field paths start with
 * `content`, and nothing is returned half-read.
 *
 * JSON: `{ year?, provisional?, source?, holidays: [{date, name}], makeUpWorkdays: [{date, name, hours?}] }`
 * (the shape of the shipped PublicHolidayYear).
 *
 * iCalendar (RFC 5545): every VEVENT is one all-day period (DTSTART;VALUE=DATE, DTEND exclusive,
 * or one day without DTEND) named by its SUMMARY. It is a make-up working day (调休上班) when its
 * CATEGORIES name `WORKDAY`, `MAKE-UP-WORKDAY`, `上班` or `补班`, or when its SUMMARY contains
 * `补班` or `上班`; otherwise a holiday. `X-SCHEDULE-STATUS:PROVISIONAL` on the calendar marks
 * the year provisional; a calendar's X-WR-CALNAME becomes the source.
 */
export function parseYearScheduleFile(format: ScheduleFileFormat, content: string, year: number): YearScheduleImport {
  if (!Number.isInteger(year) || year < MIN_SCHEDULE_YEAR || year > MAX_SCHEDULE_YEAR) {
    throw invalid([{ path: 'year', message: `must be a year from ${MIN_SCHEDULE_YEAR} to ${MAX_SCHEDULE_YEAR}` }]);
  }
  const schedule = format === 'json' ? parseJson(content, year) : parseIcs(content, year);
  const issues: FieldIssue[] = [];
  const seen = new Map<string, string>();
  for (const [list, entries] of [
    ['holidays', schedule.holidays],
    ['makeUpWorkdays', schedule.makeUpWorkdays],
  ] as const) {
    entries.forEach((entry, index) => {
      if (!entry.date.startsWith(`${year}-`)) issues.push({ path: `content.${list}.${index}.date`, message: `${entry.date} is not in ${year}` });
      const other = seen.get(entry.date);
      if (other) issues.push({ path: `content.${list}.${index}.date`, message: `${entry.date} is listed twice (${other})` });
      seen.set(entry.date, `${list}.${index}`);
    });
  }
  if (schedule.holidays.length + schedule.makeUpWorkdays.length === 0) issues.push({ path: 'content', message: 'lists no holidays and no make-up working days' });
  if (schedule.holidays.length + schedule.makeUpWorkdays.length > MAX_DAYS_PER_YEAR) issues.push({ path: 'content', message: `lists more than ${MAX_DAYS_PER_YEAR} days` });
  if (issues.length) throw invalid(issues);
  const byDate = (a: { date: string }, b: { date: string }) => a.date.localeCompare(b.date);
  return { ...schedule, holidays: [...schedule.holidays].sort(byDate), makeUpWorkdays: [...schedule.makeUpWorkdays].sort(byDate) };
}

/**
 * The calendar with one year's holidays and make-up working days replaced by the imported ones
 * (other years untouched) and that year's schedule recorded. Throws when the result is invalid.
 */
export function applyYearSchedule(calendar: BusinessCalendar, schedule: YearScheduleImport): BusinessCalendar {
  const inYear = (entry: { date: string }) => entry.date.startsWith(`${schedule.year}-`);
  const byDate = (a: { date: string }, b: { date: string }) => a.date.localeCompare(b.date);
  const entry: YearSchedule = { year: schedule.year, status: schedule.status, ...(schedule.source ? { source: schedule.source } : {}) };
  const next: BusinessCalendar = {
    ...calendar,
    holidays: [...calendar.holidays.filter((holiday) => !inYear(holiday)), ...schedule.holidays].sort(byDate),
    makeUpWorkdays: [...calendar.makeUpWorkdays.filter((workday) => !inYear(workday)), ...schedule.makeUpWorkdays].sort(byDate),
    schedules: [...(calendar.schedules ?? []).filter((other) => other.year !== schedule.year), entry].sort((a, b) => a.year - b.year),
  };
  assertValidBusinessCalendar(next);
  return next;
}

/** The years from `from` to `from + 1` whose schedule a calendar does not have confirmed (the admin UI's banner). */
export function unconfirmedScheduleYears(calendar: BusinessCalendar, from: number): number[] {
  const followsSchedules = calendar.schedules !== undefined || calendar.holidays.length > 0 || calendar.makeUpWorkdays.length > 0;
  if (!followsSchedules) return [];
  return [from, from + 1].filter((year) => !calendar.schedules?.some((schedule) => schedule.year === year && schedule.status === 'confirmed'));
}

function invalid(fields: FieldIssue[]): DomainError {
  return new DomainError(DomainErrorCode.ValidationFailed, 'The schedule file is invalid.', { fields });
}

function parseJson(content: string, year: number): YearScheduleImport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    throw invalid([{ path: 'content', message: 'is not valid JSON' }]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid([{ path: 'content', message: 'must be a JSON object' }]);
  const file = parsed as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  if (file.year !== undefined && file.year !== year) issues.push({ path: 'content.year', message: `is ${String(file.year)}, not ${year}` });
  if (file.provisional !== undefined && typeof file.provisional !== 'boolean') issues.push({ path: 'content.provisional', message: 'must be true or false' });
  if (file.source !== undefined && (typeof file.source !== 'string' || file.source.length > 500 || CONTROL.test(file.source))) {
    issues.push({ path: 'content.source', message: 'must be a string of at most 500 characters without control characters' });
  }
  const readDays = (list: 'holidays' | 'makeUpWorkdays'): MakeUpWorkday[] => {
    const value = file[list];
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      issues.push({ path: `content.${list}`, message: 'must be an array of {date, name}' });
      return [];
    }
    return value.flatMap((entry: unknown, index) => {
      const path = `content.${list}.${index}`;
      if (typeof entry !== 'object' || entry === null) {
        issues.push({ path, message: 'must be an object with date and name' });
        return [];
      }
      const { date, name, hours } = entry as Record<string, unknown>;
      if (parseIsoDate(date) === undefined) issues.push({ path: `${path}.date`, message: 'must be a calendar date "YYYY-MM-DD"' });
      if (!isName(name)) issues.push({ path: `${path}.name`, message: 'must be a non-empty string of at most 200 characters without control characters' });
      if (list === 'holidays' && hours !== undefined) issues.push({ path: `${path}.hours`, message: 'only make-up working days have hours' });
      return [{ date: String(date), name: String(name).trim(), ...(hours !== undefined ? { hours: hours as MakeUpWorkday['hours'] } : {}) }];
    });
  };
  const holidays = readDays('holidays');
  const makeUpWorkdays = readDays('makeUpWorkdays');
  if (issues.length) throw invalid(issues);
  return {
    year,
    status: file.provisional === true ? 'provisional' : 'confirmed',
    ...(typeof file.source === 'string' && file.source.trim() ? { source: file.source.trim() } : {}),
    holidays: holidays.map(({ date, name }) => ({ date, name })),
    makeUpWorkdays,
  };
}

interface IcsProperty {
  name: string;
  params: Record<string, string>;
  value: string;
  line: number;
}

const WORKDAY_CATEGORIES = new Set(['WORKDAY', 'MAKE-UP-WORKDAY', '上班', '补班', '调休上班']);
const WORKDAY_SUMMARY = /补班|上班/;

function parseIcs(content: string, year: number): YearScheduleImport {
  // Which year the dates must fall in is checked once for both formats, by the caller.
  const properties = unfold(content);
  const issues: FieldIssue[] = [];
  const at = (property: IcsProperty | undefined, message: string) => issues.push({ path: `content.line${property?.line ?? 1}`, message });
  if (properties[0]?.name !== 'BEGIN' || properties[0].value.toUpperCase() !== 'VCALENDAR')
    throw invalid([{ path: 'content', message: 'is not an iCalendar file (BEGIN:VCALENDAR)' }]);
  const last = properties[properties.length - 1];
  if (last?.name !== 'END' || last.value.toUpperCase() !== 'VCALENDAR') throw invalid([{ path: 'content', message: 'does not end with END:VCALENDAR' }]);

  const holidays: Holiday[] = [];
  const makeUpWorkdays: MakeUpWorkday[] = [];
  let status: YearSchedule['status'] = 'confirmed';
  let source: string | undefined;
  let event: IcsProperty[] | undefined;
  let nested = 0;
  let events = 0;
  for (const property of properties.slice(1, -1)) {
    const component = property.value.toUpperCase();
    if (property.name === 'BEGIN' && component === 'VEVENT' && !event && nested === 0) {
      event = [property];
    } else if (property.name === 'END' && component === 'VEVENT' && event && nested === 0) {
      events += 1;
      readEvent(event, property);
      event = undefined;
    } else if (property.name === 'BEGIN') {
      if (component === 'VEVENT' || component === 'VCALENDAR') at(property, `BEGIN:${component} inside another component`);
      nested += 1; // VALARM, VTIMEZONE, …: skipped
    } else if (property.name === 'END') {
      if (nested === 0) at(property, `END:${component} without its BEGIN`);
      else nested -= 1;
    } else if (event) {
      if (nested === 0) event.push(property);
    } else if (nested === 0 && property.name === 'X-SCHEDULE-STATUS') {
      if (property.value.toUpperCase() === 'PROVISIONAL') status = 'provisional';
      else if (property.value.toUpperCase() !== 'CONFIRMED') at(property, 'X-SCHEDULE-STATUS must be CONFIRMED or PROVISIONAL');
    } else if (nested === 0 && property.name === 'X-WR-CALNAME') {
      source = unescapeText(property.value).slice(0, 500).replace(new RegExp(CONTROL.source, 'g'), '');
    }
  }
  if (event || nested !== 0) issues.push({ path: 'content', message: 'has a component that is never closed (END missing)' });
  if (events === 0 && issues.length === 0) issues.push({ path: 'content', message: 'has no VEVENT' });
  if (issues.length) throw invalid(issues);
  return { year, status, ...(source ? { source } : {}), holidays, makeUpWorkdays };

  function readEvent(lines: IcsProperty[], end: IcsProperty): void {
    const one = (name: string) => lines.find((line) => line.name === name);
    const begin = lines[0]!;
    if (one('RRULE') || one('RDATE')) return void at(begin, 'recurring events (RRULE, RDATE) are not supported: list each year’s dates');
    const summary = one('SUMMARY');
    const name = summary ? unescapeText(summary.value).trim() : '';
    if (!isName(name)) return void at(summary ?? begin, 'the event needs a SUMMARY (its name) of at most 200 characters without control characters');
    const start = dateOf(one('DTSTART'));
    if (start === undefined) return void at(one('DTSTART') ?? begin, 'the event needs an all-day DTSTART (DTSTART;VALUE=DATE:YYYYMMDD)');
    const endProperty = one('DTEND');
    const exclusiveEnd = endProperty ? dateOf(endProperty) : start + 1;
    if (exclusiveEnd === undefined) return void at(endProperty, 'DTEND must be an all-day date (DTEND;VALUE=DATE:YYYYMMDD)');
    if (exclusiveEnd <= start || exclusiveEnd - start > MAX_EVENT_DAYS) return void at(endProperty ?? end, `DTEND must be 1 to ${MAX_EVENT_DAYS} days after DTSTART`);
    const categories = lines
      .filter((line) => line.name === 'CATEGORIES')
      .flatMap((line) => line.value.split(','))
      .map((category) => unescapeText(category).trim().toUpperCase());
    const workday = categories.some((category) => WORKDAY_CATEGORIES.has(category)) || WORKDAY_SUMMARY.test(name);
    for (let day = start; day < exclusiveEnd; day++) (workday ? makeUpWorkdays : holidays).push({ date: formatIsoDate(day), name });
  }
}

/** "DTSTART;VALUE=DATE:20270101" → day number; a time of day (…T090000) is not an all-day date. */
function dateOf(property: IcsProperty | undefined): number | undefined {
  if (!property) return undefined;
  if (property.params.VALUE !== undefined && property.params.VALUE.toUpperCase() !== 'DATE') return undefined;
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(property.value.trim());
  return match ? parseIsoDate(`${match[1]}-${match[2]}-${match[3]}`) : undefined;
}

/** Content lines, unfolded (a line starting with a space or tab continues the one before), split into name, parameters and value. */
function unfold(content: string): IcsProperty[] {
  const raw = content.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const lines: { text: string; line: number }[] = [];
  raw.forEach((text, index) => {
    if ((text.startsWith(' ') || text.startsWith('\t')) && lines.length) lines[lines.length - 1]!.text += text.slice(1);
    else if (text.trim() !== '') lines.push({ text, line: index + 1 });
  });
  return lines.map(({ text, line }) => {
    const colon = indexOfUnquoted(text, ':');
    if (colon < 0) throw invalid([{ path: `content.line${line}`, message: 'is not an iCalendar content line (NAME:value)' }]);
    const [name = '', ...params] = splitUnquoted(text.slice(0, colon), ';');
    const parameters: Record<string, string> = {};
    for (const param of params) {
      const equals = param.indexOf('=');
      if (equals > 0) parameters[param.slice(0, equals).toUpperCase()] = param.slice(equals + 1).replace(/^"|"$/g, '');
    }
    return { name: name.toUpperCase(), params: parameters, value: text.slice(colon + 1), line };
  });
}

function indexOfUnquoted(text: string, char: string): number {
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    if (text[index] === '"') quoted = !quoted;
    else if (text[index] === char && !quoted) return index;
  }
  return -1;
}

function splitUnquoted(text: string, separator: string): string[] {
  const parts: string[] = [];
  let rest = text;
  for (let at = indexOfUnquoted(rest, separator); at >= 0; at = indexOfUnquoted(rest, separator)) {
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  parts.push(rest);
  return parts;
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, char: string) => (char === 'n' || char === 'N' ? '\n' : char));
}
