import type { BusinessCalendar } from '../calendar';
import { completeClock, dueAtOf, minutesLeftAt, pauseClock, plannedAlarms, resumeClock, usedMinutesAt, windowDueAt, type SlaClockState } from './sla-clock';
import { DEFAULT_SLA_POLICIES, escalatedPriority, matchPolicy, type SlaPolicy } from './sla-policy';

/** Mon–Fri 09:00–18:00 in Shanghai, no holidays: easy to compute by hand. */
const NINE_TO_SIX: BusinessCalendar = {
  id: 'nine-to-six',
  name: 'Nine to six',
  timeZone: 'Asia/Shanghai',
  weeklyHours: {
    1: [{ start: '09:00', end: '18:00' }],
    2: [{ start: '09:00', end: '18:00' }],
    3: [{ start: '09:00', end: '18:00' }],
    4: [{ start: '09:00', end: '18:00' }],
    5: [{ start: '09:00', end: '18:00' }],
    6: [],
    7: [],
  },
  holidays: [],
  makeUpWorkdays: [],
};

/** Local Shanghai wall time (UTC+8) as an instant. */
const sh = (isoLocal: string) => new Date(`${isoLocal}+08:00`);

const running = (minutes: number, mode: 'calendar' | 'business', since: Date, used = 0): SlaClockState => ({
  target: { minutes, mode },
  status: 'running',
  usedMinutes: used,
  runningSince: since,
});

describe('SLA clocks', () => {
  it('a business-time clock started Friday 17:30 with 2 hours is due Monday 10:30', () => {
    // 2026-11-27 is a Friday.
    expect(dueAtOf(running(120, 'business', sh('2026-11-27T17:30:00')), NINE_TO_SIX)).toEqual(sh('2026-11-30T10:30:00'));
  });

  it('pausing keeps the time used; resuming three days later continues from it instead of starting over', () => {
    const started = running(240, 'business', sh('2026-11-23T09:00:00')); // Monday
    const paused = pauseClock(started, NINE_TO_SIX, sh('2026-11-23T10:00:00'));
    expect(paused).toMatchObject({ status: 'paused', usedMinutes: 60, runningSince: null });
    expect(dueAtOf(paused, NINE_TO_SIX)).toBeNull();
    expect(minutesLeftAt(paused, NINE_TO_SIX, sh('2026-11-26T10:00:00'))).toBe(180);

    const resumed = resumeClock(paused, sh('2026-11-26T10:00:00'));
    expect(dueAtOf(resumed, NINE_TO_SIX)).toEqual(sh('2026-11-26T13:00:00'));
  });

  it('a clock that ran past its target completes as breached, one within it as met', () => {
    const clock = running(60, 'calendar', sh('2026-11-23T09:00:00'));
    expect(completeClock(clock, NINE_TO_SIX, sh('2026-11-23T09:59:00')).status).toBe('met');
    expect(completeClock(clock, NINE_TO_SIX, sh('2026-11-23T10:01:00')).status).toBe('breached');
    expect(completeClock({ ...clock, status: 'breached' }, NINE_TO_SIX, sh('2026-11-23T09:10:00')).status).toBe('breached');
  });

  it('plans the reminder ladder and the breach alarm in business time, skipping reminders already past', () => {
    const clock = running(480, 'business', sh('2026-11-23T09:00:00'));
    const rules = [
      { kind: 'fraction', fraction: 0.5 },
      { kind: 'fraction', fraction: 0.8 },
      { kind: 'before', minutes: 60 },
    ] as const;
    expect(plannedAlarms(clock, rules, NINE_TO_SIX, sh('2026-11-23T09:00:00'))).toEqual(
      [
        { name: 'reminder-50pct', at: sh('2026-11-23T13:00:00') },
        { name: 'reminder-60min', at: sh('2026-11-23T16:00:00') },
        { name: 'reminder-80pct', at: sh('2026-11-23T15:24:00') },
        { name: 'breach', at: sh('2026-11-23T17:00:00') },
      ].sort((a, b) => a.at.getTime() - b.at.getTime()),
    );
    const late = running(480, 'business', sh('2026-11-23T09:00:00'), 300); // resumed with 300 of 480 used
    expect(plannedAlarms(late, rules, NINE_TO_SIX, sh('2026-11-23T09:00:00')).map((alarm) => alarm.name)).toEqual(['reminder-80pct', 'reminder-60min', 'breach']);
  });

  it('measures calendar-time clocks in wall-clock minutes across nights and weekends', () => {
    const clock = running(3 * 24 * 60, 'calendar', sh('2026-11-27T17:00:00'));
    expect(dueAtOf(clock, NINE_TO_SIX)).toEqual(sh('2026-11-30T17:00:00'));
    expect(usedMinutesAt(clock, NINE_TO_SIX, sh('2026-11-28T17:00:00'))).toBe(24 * 60);
    expect(windowDueAt({ minutes: 120, mode: 'business' }, NINE_TO_SIX, sh('2026-11-27T17:30:00'))).toEqual(sh('2026-11-30T10:30:00'));
  });
});

describe('SLA policies', () => {
  const policies = DEFAULT_SLA_POLICIES.map((policy) => ({ ...policy, calendarId: 'prc-default' })) as SlaPolicy[];

  it('are matched in order, first match wins, with a catch-all last', () => {
    expect(matchPolicy(policies, { kind: 'dispute', priority: 'urgent', channel: 'app' })?.id).toBe('urgent');
    expect(matchPolicy(policies, { kind: 'dispute', priority: 'normal', channel: 'app' })?.id).toBe('disputes');
    expect(matchPolicy(policies, { kind: 'inquiry', priority: 'low', channel: 'weibo' })?.id).toBe('standard');
    expect(matchPolicy([...policies].reverse(), { kind: 'dispute', priority: 'urgent', channel: 'app' })?.id).toBe('urgent');
    expect(
      matchPolicy(
        policies.filter((p) => p.id !== 'standard'),
        { kind: 'inquiry', priority: 'low', channel: 'weibo' },
      ),
    ).toBeUndefined();
  });

  it('escalation raises priority one step and stops at urgent', () => {
    expect(escalatedPriority('low')).toBe('normal');
    expect(escalatedPriority('high')).toBe('urgent');
    expect(escalatedPriority('urgent')).toBe('urgent');
  });
});
