/**
 * Time-zone conversions through the platform's ICU data (Intl.DateTimeFormat), so the domain lib
 * needs no date library. Internally a local calendar date is a *day number* (days since
 * 1970-01-01 in the proleptic Gregorian calendar) and a wall-clock reading is *wall
 * milliseconds* (day number × 86 400 000 + milliseconds since local midnight), i.e. the local
 * reading written as if it were UTC. Instants are epoch milliseconds.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws a RangeError for a zone ICU does not know; isValidTimeZone relies on that.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether ICU knows `timeZone` as an IANA zone name (e.g. "Asia/Shanghai", "UTC"). */
export function isValidTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string' || timeZone.trim() === '' || timeZone !== timeZone.trim()) return false;
  // Intl also accepts fixed offsets such as "+08:00" in newer engines; a business calendar must
  // name a zone so that its daylight-saving rules (if any) come with it.
  if (/^[+-]\d/.test(timeZone)) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local wall-clock reading of an instant in `timeZone`, as wall milliseconds. */
export function wallClockMs(timeZone: string, instantMs: number): number {
  // The common case costs two cache look-ups instead of a formatter call: when the offsets sampled
  // at the UTC midnights around the instant agree, no transition lies between them (no zone has
  // two within 24 hours, see instantAtWallTime), so the instant has that same offset.
  const day = Math.floor(instantMs / DAY_MS);
  const offset = sampledOffset(timeZone, day);
  if (offset === sampledOffset(timeZone, day + 1)) return instantMs + offset;
  return formattedWallClockMs(timeZone, instantMs);
}

/** wallClockMs by asking ICU: exact, and a few microseconds per call. */
function formattedWallClockMs(timeZone: string, instantMs: number): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(instantMs));
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let beforeChrist = false;
  for (const part of parts) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value) % 24; // some ICU versions print midnight as "24" even with h23
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
      case 'era':
        beforeChrist = part.value === 'BC' || part.value === 'B';
        break;
    }
  }
  const date = new Date(0);
  date.setUTCFullYear(beforeChrist ? 1 - year : year, month - 1, day);
  date.setUTCHours(hour, minute, second, ((instantMs % 1000) + 1000) % 1000);
  return date.getTime();
}

/** The zone's offset from UTC at an instant, in milliseconds (local = UTC + offset). */
export function offsetMs(timeZone: string, instantMs: number): number {
  return wallClockMs(timeZone, instantMs) - instantMs;
}

/** The local calendar date (day number) of an instant in `timeZone`. */
export function localDayNumber(timeZone: string, instantMs: number): number {
  return Math.floor(wallClockMs(timeZone, instantMs) / DAY_MS);
}

/**
 * The instant at which the local clock in `timeZone` first reads `minuteOfDay` (0..1440; 1440 is
 * the next day's midnight) on local date `dayNumber`, or later. That rule decides the two
 * daylight-saving edge cases:
 *  - a reading that does not exist (it falls into a spring-forward gap) maps to the instant of
 *    the transition, the first instant after the gap: 02:30 on a day Berlin jumps from 02:00 to
 *    03:00 maps to 03:00 CEST;
 *  - a reading that happens twice (it falls into a fall-back overlap) maps to its first
 *    occurrence: 02:30 on a day Berlin goes back from 03:00 to 02:00 maps to 02:30 CEST.
 * Assumes no two offset transitions within 24 hours of each other, true of the IANA zones in
 * current use (checked against a minute-by-minute search for 16 zones, 2015–2030, including
 * Lord Howe's 30-minute shift and zones that change at midnight).
 */
export function instantAtWallTime(timeZone: string, dayNumber: number, minuteOfDay: number): number {
  const wall = dayNumber * DAY_MS + minuteOfDay * MINUTE_MS;
  // Every instant the date's readings can map to lies between the samples taken at the midnights
  // (read as UTC) of the day before and two days after, whatever the zone's offset (±14 h). Where
  // all four samples agree no transition is near and the offset is simply that one: the common
  // case, costing one formatter call per date thanks to the sample cache.
  const offsets = [-1, 0, 1, 2].map((delta) => sampledOffset(timeZone, dayNumber + delta));
  if (offsets.every((offset) => offset === offsets[0])) return wall - offsets[0];
  return instantNearTransition(timeZone, wall);
}

function instantNearTransition(timeZone: string, wall: number): number {
  const offsetBefore = offsetMs(timeZone, wall - DAY_MS);
  const offsetAfter = offsetMs(timeZone, wall + DAY_MS);

  let earliest = Number.POSITIVE_INFINITY;
  for (const offset of offsetBefore === offsetAfter ? [offsetBefore] : [offsetBefore, offsetAfter]) {
    const candidate = wall - offset;
    if (offsetMs(timeZone, candidate) === offset) earliest = Math.min(earliest, candidate);
  }
  if (earliest !== Number.POSITIVE_INFINITY) return earliest;
  if (offsetBefore === offsetAfter) return wall - offsetBefore; // two transitions within two days: not in the IANA data

  // The reading falls into a gap. Before the transition the clock reads less than `wall`, after
  // it more: search the transition instant between the two candidates.
  let low = wall - Math.max(offsetBefore, offsetAfter); // clock still reads before the gap
  let high = wall - Math.min(offsetBefore, offsetAfter); // clock already reads after the gap
  while (high - low > 1) {
    const middle = low + Math.floor((high - low) / 2);
    if (wallClockMs(timeZone, middle) >= wall) high = middle;
    else low = middle;
  }
  return high;
}

/**
 * The zone's offset at the instant `dayNumber` × 24 h, cached: zone rules do not change while
 * the process runs. Bounded so that a long-running worker cannot grow it without limit.
 */
const offsetSamples = new Map<string, Map<number, number>>();
const MAX_SAMPLES_PER_ZONE = 100_000;

function sampledOffset(timeZone: string, dayNumber: number): number {
  let samples = offsetSamples.get(timeZone);
  if (!samples) {
    samples = new Map();
    offsetSamples.set(timeZone, samples);
  }
  let offset = samples.get(dayNumber);
  if (offset === undefined) {
    if (samples.size >= MAX_SAMPLES_PER_ZONE) samples.clear();
    offset = formattedWallClockMs(timeZone, dayNumber * DAY_MS) - dayNumber * DAY_MS;
    samples.set(dayNumber, offset);
  }
  return offset;
}

/** "YYYY-MM-DD" → day number, or undefined when the text is not a real calendar date. */
export function parseIsoDate(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return Math.floor(date.getTime() / DAY_MS);
}

/** Day number → "YYYY-MM-DD". */
export function formatIsoDate(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday of a day number: Monday = 1 … Sunday = 7 (1970-01-01 was a Thursday). */
export function isoWeekdayOf(dayNumber: number): 1 | 2 | 3 | 4 | 5 | 6 | 7 {
  return (((((dayNumber + 3) % 7) + 7) % 7) + 1) as 1 | 2 | 3 | 4 | 5 | 6 | 7;
}
