import type { BusinessCalendar } from './business-calendar';
import { addBusinessMinutes, businessMinutesBetween, isWithinBusinessHours, nextBusinessInstant } from './business-time';
import { DEFAULT_BUSINESS_CALENDAR } from './prc-holidays';

/** mulberry32: a tiny seeded generator, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const ALWAYS = [{ start: '00:00', end: '24:00' }];
const OFFICE = [
  { start: '08:30', end: '12:00' },
  { start: '12:45', end: '17:15' },
];
const EDGES = [
  { start: '00:00', end: '01:30' },
  { start: '02:15', end: '02:45' },
  { start: '03:00', end: '03:05' },
  { start: '23:00', end: '24:00' },
];
const CALENDARS: BusinessCalendar[] = [
  DEFAULT_BUSINESS_CALENDAR,
  {
    id: 'berlin-office',
    name: 'Berlin office with a Saturday morning',
    timeZone: 'Europe/Berlin',
    weeklyHours: { 1: OFFICE, 2: OFFICE, 3: OFFICE, 4: OFFICE, 5: OFFICE, 6: [{ start: '09:00', end: '12:00' }], 7: [] },
    holidays: [
      { date: '2026-10-03', name: 'Tag der Deutschen Einheit' },
      { date: '2026-12-25', name: 'Weihnachten' },
    ],
    makeUpWorkdays: [{ date: '2026-03-29', name: 'a Sunday on the change day', hours: [{ start: '01:00', end: '05:00' }] }],
  },
  {
    id: 'berlin-edges',
    name: 'Spans around the hours Berlin skips and repeats',
    timeZone: 'Europe/Berlin',
    weeklyHours: { 1: EDGES, 2: EDGES, 3: EDGES, 4: EDGES, 5: EDGES, 6: EDGES, 7: EDGES },
    holidays: [],
    makeUpWorkdays: [],
  },
  {
    id: 'santiago-nights',
    name: 'Night shifts where the clocks change at midnight',
    timeZone: 'America/Santiago',
    weeklyHours: {
      1: [],
      2: [],
      3: [],
      4: [],
      5: [{ start: '22:00', end: '24:00' }],
      6: [
        { start: '00:00', end: '02:00' },
        { start: '22:00', end: '24:00' },
      ],
      7: [{ start: '00:00', end: '02:00' }],
    },
    holidays: [],
    makeUpWorkdays: [],
  },
];
const NEW_YORK_ALWAYS: BusinessCalendar = {
  id: 'new-york-always',
  name: 'Always open',
  timeZone: 'America/New_York',
  weeklyHours: { 1: ALWAYS, 2: ALWAYS, 3: ALWAYS, 4: ALWAYS, 5: ALWAYS, 6: ALWAYS, 7: ALWAYS },
  holidays: [],
  makeUpWorkdays: [],
};

const FROM = Date.parse('2025-12-01T00:00:00Z');
const TO = Date.parse('2027-12-31T00:00:00Z');

describe.each(CALENDARS.map((calendar) => [calendar.id, calendar] as const))('business time properties: %s', (_id, calendar) => {
  const next = random(20260930);
  const samples = Array.from({ length: 150 }, () => ({
    start: new Date(FROM + Math.floor(next() * (TO - FROM))),
    minutes: next() < 0.1 ? 0 : Math.floor(next() * 20_000),
    more: Math.floor(next() * 3_000),
  }));

  it('measures back exactly what it added: businessMinutesBetween(start, addBusinessMinutes(start, n)) === n', () => {
    for (const { start, minutes } of samples) {
      const end = addBusinessMinutes(calendar, start, minutes);
      expect({ start, minutes, measured: businessMinutesBetween(calendar, start, end) }).toEqual({ start, minutes, measured: minutes });
      expect(businessMinutesBetween(calendar, end, start)).toBe(minutes === 0 ? 0 : -minutes);
    }
  });

  it('ends at the earliest such instant: the millisecond before the end is working time', () => {
    for (const { start, minutes } of samples.filter((sample) => sample.minutes > 0)) {
      const end = addBusinessMinutes(calendar, start, minutes);
      expect(end.getTime()).toBeGreaterThan(start.getTime());
      const lastMs = isWithinBusinessHours(calendar, new Date(end.getTime() - 1));
      expect({ start, minutes, lastMs }).toEqual({ start, minutes, lastMs: true });
    }
  });

  it('adds in steps the same as at once: add(add(s, a), b) === add(s, a + b)', () => {
    for (const { start, minutes, more } of samples) {
      const stepwise = addBusinessMinutes(calendar, addBusinessMinutes(calendar, start, minutes), more);
      const atOnce = addBusinessMinutes(calendar, start, minutes + more);
      expect({ start, minutes, more, stepwise }).toEqual({ start, minutes, more, stepwise: atOnce });
    }
  });

  it('agrees with itself: the next business instant is working time and no working time lies before it', () => {
    for (const { start } of samples) {
      const resumes = nextBusinessInstant(calendar, start);
      expect(isWithinBusinessHours(calendar, resumes)).toBe(true);
      expect(businessMinutesBetween(calendar, start, resumes)).toBe(0);
      expect(isWithinBusinessHours(calendar, start)).toBe(resumes.getTime() === start.getTime());
    }
  });
});

describe('business time properties: a calendar that never closes', () => {
  it('counts business minutes as real minutes, daylight-saving changes included', () => {
    const next = random(42);
    for (let i = 0; i < 200; i++) {
      const from = FROM + Math.floor(next() * (TO - FROM));
      const to = from + Math.floor(next() * 90 * 24 * 60) * 60_000;
      expect(businessMinutesBetween(NEW_YORK_ALWAYS, new Date(from), new Date(to))).toBe((to - from) / 60_000);
      expect(addBusinessMinutes(NEW_YORK_ALWAYS, new Date(from), (to - from) / 60_000)).toEqual(new Date(to));
    }
  });
});
