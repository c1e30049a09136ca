import { addBusinessMinutes, businessMinutesBetween, type BusinessCalendar } from '../calendar';
import type { SlaReminderRule, SlaTarget } from './sla-policy';

/**
 * A running or paused SLA clock, as stored. `usedMinutes` is the time already used up to
 * `runningSince` (or to the pause); the time used now is that plus what elapsed since.
 */
export interface SlaClockState {
  target: SlaTarget;
  status: 'running' | 'paused' | 'met' | 'breached' | 'stopped';
  usedMinutes: number;
  runningSince: Date | null;
}

function elapsed(target: SlaTarget, calendar: BusinessCalendar, from: Date, to: Date): number {
  if (to <= from) return 0;
  return target.mode === 'business' ? businessMinutesBetween(calendar, from, to) : (to.getTime() - from.getTime()) / 60_000;
}

function advance(target: SlaTarget, calendar: BusinessCalendar, from: Date, minutes: number): Date {
  if (minutes <= 0) return from;
  return target.mode === 'business' ? addBusinessMinutes(calendar, from, minutes) : new Date(from.getTime() + minutes * 60_000);
}

export function usedMinutesAt(clock: SlaClockState, calendar: BusinessCalendar, now: Date): number {
  if (clock.status !== 'running' || !clock.runningSince) return clock.usedMinutes;
  return clock.usedMinutes + elapsed(clock.target, calendar, clock.runningSince, now);
}

/** Minutes left (negative when overdue), in the clock's own mode. */
export function minutesLeftAt(clock: SlaClockState, calendar: BusinessCalendar, now: Date): number {
  return clock.target.minutes - usedMinutesAt(clock, calendar, now);
}

/** When a running clock breaches; null for a paused or finished one. */
export function dueAtOf(clock: SlaClockState, calendar: BusinessCalendar): Date | null {
  if (clock.status !== 'running' || !clock.runningSince) return null;
  return advance(clock.target, calendar, clock.runningSince, clock.target.minutes - clock.usedMinutes);
}

export function pauseClock(clock: SlaClockState, calendar: BusinessCalendar, now: Date): SlaClockState {
  if (clock.status !== 'running') return clock;
  return { ...clock, status: 'paused', usedMinutes: usedMinutesAt(clock, calendar, now), runningSince: null };
}

/** Resumes with the time already used; a stopped clock resumes too (the reopen rule). */
export function resumeClock(clock: SlaClockState, now: Date): SlaClockState {
  if (clock.status !== 'paused' && clock.status !== 'stopped') return clock;
  return { ...clock, status: 'running', runningSince: now };
}

/** Met when it stops in time; a clock that already breached stays breached. */
export function completeClock(clock: SlaClockState, calendar: BusinessCalendar, now: Date): SlaClockState {
  if (clock.status === 'breached' || clock.status === 'met') return clock;
  const used = usedMinutesAt(clock, calendar, now);
  return { ...clock, status: used <= clock.target.minutes ? 'met' : 'breached', usedMinutes: used, runningSince: null };
}

export interface PlannedAlarm {
  /** `reminder-50pct`, `reminder-60min`, or `breach`. */
  name: string;
  at: Date;
}

/**
 * The reminders still ahead and the breach alarm of a running clock, from `now` on. A reminder
 * whose moment has passed (the clock resumed late) is skipped rather than sent late.
 */
export function plannedAlarms(clock: SlaClockState, rules: readonly SlaReminderRule[], calendar: BusinessCalendar, now: Date): PlannedAlarm[] {
  if (clock.status !== 'running' || !clock.runningSince) return [];
  const remaining = (usedAt: number) => usedAt - clock.usedMinutes;
  const alarms: PlannedAlarm[] = [];
  for (const rule of rules) {
    const usedAt = rule.kind === 'fraction' ? clock.target.minutes * rule.fraction : clock.target.minutes - rule.minutes;
    if (usedAt <= 0 || usedAt >= clock.target.minutes) continue;
    const at = advance(clock.target, calendar, clock.runningSince, remaining(usedAt));
    const name = rule.kind === 'fraction' ? `reminder-${Math.round(rule.fraction * 100)}pct` : `reminder-${rule.minutes}min`;
    if (remaining(usedAt) > 0 && at > now) alarms.push({ name, at });
  }
  const breachAt = dueAtOf(clock, calendar)!;
  alarms.push({ name: 'breach', at: breachAt < now ? now : breachAt });
  return alarms.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Where a target is measured from and where it ends, for a machine window (merchant response, reply). */
export function windowDueAt(target: SlaTarget, calendar: BusinessCalendar, from: Date): Date {
  return advance(target, calendar, from, target.minutes);
}
