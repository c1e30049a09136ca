import { randomUUID } from 'node:crypto';
import { CaseEventEntity, SlaClockEntity, type CaseEntity } from '@app/db';
import {
  SLA_CLOCK_TARGETS,
  completeClock,
  dueAtOf,
  pauseClock,
  resumeClock,
  usedMinutesAt,
  type ActorKind,
  type BusinessCalendar,
  type SlaClockState,
  type SlaPhase,
} from '@app/domain';
import type { SlaContext } from './sla-catalogue';

/**
 * The clocks phase of a transition, pure: given the case's clocks as read (each with the calendar
 * it is measured on) and what the transition did, the clocks as it leaves them and the timeline
 * annotations it owes. It writes nothing; the command's writer (libs/cases case-writes.ts) does.
 */

/** A clock as the command read it, with the calendar it started on and its row as read (to write only what changed). */
export interface ReadClock {
  clock: SlaClockEntity;
  calendar: BusinessCalendar;
  loaded: Readonly<ClockColumns>;
}

/** The columns of a clock that a transition or an alarm may change. */
export type ClockColumns = Pick<
  SlaClockEntity,
  'status' | 'usedMinutes' | 'runningSince' | 'dueAt' | 'metAt' | 'breachedAt' | 'breachedAssigneeId' | 'finishedAt' | 'finishedMinutes'
>;

export interface ClockStep {
  /** Every clock of the case as the transition left it (the case view shows them). */
  clocks: SlaClockEntity[];
  /** New clock rows (a case that opens). */
  started: SlaClockEntity[];
  /** Existing clocks whose row changed. */
  changed: SlaClockEntity[];
  /** Clocks that stopped running: their pending alarms are cancelled (alarms phase). */
  stopped: SlaClockEntity[];
  /** Clocks that (re)started running: their alarms are planned (alarms phase), each on its own calendar. */
  running: Array<{ clock: SlaClockEntity; calendar: BusinessCalendar }>;
  annotations: CaseEventEntity[];
}

export function stateOf(clock: Pick<SlaClockEntity, 'minutes' | 'mode' | 'status' | 'usedMinutes' | 'runningSince'>): SlaClockState {
  return { target: { minutes: clock.minutes, mode: clock.mode }, status: clock.status, usedMinutes: clock.usedMinutes, runningSince: clock.runningSince };
}

export function clockColumnsOf(clock: SlaClockEntity): ClockColumns {
  const copy = (date: Date | null) => (date === null ? null : new Date(date.getTime()));
  return {
    status: clock.status,
    usedMinutes: clock.usedMinutes,
    runningSince: copy(clock.runningSince),
    dueAt: copy(clock.dueAt),
    metAt: copy(clock.metAt),
    breachedAt: copy(clock.breachedAt),
    breachedAssigneeId: clock.breachedAssigneeId,
    finishedAt: copy(clock.finishedAt),
    finishedMinutes: clock.finishedMinutes,
  };
}

const sameValue = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);

/** Whether the clock's row differs from what was read. */
export function clockChanged(read: ReadClock): boolean {
  return (Object.keys(read.loaded) as Array<keyof ClockColumns>).some((key) => !sameValue(read.loaded[key], read.clock[key]));
}

/** The clocks of a case that opens, in the phase its first state puts them. */
export function startClocks(caseId: string, sla: SlaContext | undefined, phase: SlaPhase, now: Date): ClockStep {
  const step: ClockStep = { clocks: [], started: [], changed: [], stopped: [], running: [], annotations: [] };
  if (!sla) return step;
  for (const target of SLA_CLOCK_TARGETS) {
    const spec = sla.policy.targets[target];
    if (!spec) continue;
    const clock = Object.assign(new SlaClockEntity(), {
      id: randomUUID(),
      caseId,
      policyId: sla.policy.id,
      target,
      minutes: spec.minutes,
      mode: spec.mode,
      calendarId: sla.calendar.id,
      status: 'running' as const,
      usedMinutes: 0,
      runningSince: now,
      createdAt: now,
    });
    const next = phase === 'running' ? stateOf(clock) : phase === 'paused' ? pauseClock(stateOf(clock), sla.calendar, now) : completeClock(stateOf(clock), sla.calendar, now);
    setState(clock, next, sla.calendar, now);
    step.clocks.push(clock);
    step.started.push(clock);
    if (next.status === 'running') step.running.push({ clock, calendar: sla.calendar });
  }
  return step;
}

/** The transition's effect on the case's clocks (pause, resume, complete, freeze), from the phase its new state declares. */
export function stepClocks(
  caseEntity: Pick<CaseEntity, 'id' | 'state' | 'version'>,
  read: readonly ReadClock[],
  input: { phase: SlaPhase; caseDone: boolean; actorKind: ActorKind; now: Date },
): ClockStep {
  const { phase, caseDone, actorKind, now } = input;
  const step: ClockStep = { clocks: read.map((entry) => entry.clock), started: [], changed: [], stopped: [], running: [], annotations: [] };
  for (const entry of read) {
    const { clock, calendar } = entry;
    let next = stateOf(clock);
    // First response: the first thing an agent does on the case.
    if (clock.target === 'firstResponse' && actorKind === 'agent') next = completeClock(next, calendar, now);
    if (phase === 'paused') next = pauseClock(next, calendar, now);
    if (phase === 'running' && next.status === 'paused') next = resumeClock(next, now);
    if (phase === 'running' && next.status === 'stopped' && clock.target === 'resolution') {
      // Reopened (an appeal): the resolution clock continues with the time it had used.
      next = resumeClock(next, now);
      step.annotations.push(
        annotation(caseEntity, 'sla.clock_resumed', { target: clock.target, usedMinutes: Math.round(next.usedMinutes), rule: 'continue_resolution_clock' }, now),
      );
    }
    // A breached clock stays breached, but reports still want how long the response or resolution took.
    const reached = (clock.target === 'firstResponse' && actorKind === 'agent') || phase === 'stopped';
    if (reached && clock.status === 'breached' && clock.breachedAt && clock.finishedAt === null) {
      clock.finishedAt = now;
      clock.finishedMinutes = usedMinutesAt({ ...next, status: 'running', runningSince: clock.breachedAt }, calendar, now);
    }
    if (phase === 'stopped') {
      next = completeClock(next, calendar, now);
      // A resolved case freezes its resolution clock; only a closed one finishes it for good.
      if (!caseDone && clock.target === 'resolution' && next.status === 'met') next = { ...next, status: 'stopped' };
    }
    const wasRunning = clock.status === 'running';
    setState(clock, next, calendar, now);
    if (wasRunning && next.status !== 'running') step.stopped.push(clock);
    if (!wasRunning && next.status === 'running') step.running.push({ clock, calendar });
    if (clockChanged(entry)) step.changed.push(clock);
  }
  return step;
}

/** Stores a clock's new state on it (not in the database: the writer does). */
export function setState(clock: SlaClockEntity, next: SlaClockState, calendar: BusinessCalendar, now: Date): void {
  clock.status = next.status;
  clock.usedMinutes = next.usedMinutes;
  clock.runningSince = next.runningSince;
  clock.dueAt = dueAtOf(next, calendar);
  if (next.status === 'met' || (next.status === 'stopped' && clock.metAt === null && next.usedMinutes <= clock.minutes)) clock.metAt ??= now;
  if ((next.status === 'met' || next.status === 'stopped') && clock.finishedAt === null) {
    clock.finishedAt = now;
    clock.finishedMinutes = next.usedMinutes;
  }
  // A resumed (reopened) clock is not met any more; it may still be met, or breach, later.
  if (next.status === 'running') {
    clock.metAt = null;
    clock.finishedAt = null;
    clock.finishedMinutes = null;
  }
}

/** A timeline annotation of the SLA (not a machine event: replay skips it). */
export function annotation(caseEntity: Pick<CaseEntity, 'id' | 'state' | 'version'>, type: string, payload: Record<string, unknown>, now: Date, versionBump = 0): CaseEventEntity {
  return Object.assign(new CaseEventEntity(), {
    caseId: caseEntity.id,
    category: 'annotation',
    type,
    actorKind: 'system',
    actorId: 'sla',
    fromState: caseEntity.state,
    toState: caseEntity.state,
    caseVersion: caseEntity.version + versionBump,
    payload,
    createdAt: now,
  });
}
