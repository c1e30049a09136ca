import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { CaseEntity, CaseEventEntity, DeadlineEntity, NotificationEntity, OutboxEntity, SlaClockEntity, timestampOrNull, type SqlSession } from '@app/db';
import {
  SLA_WINDOW_TARGETS,
  dueAtOf,
  escalatedPriority,
  usedMinutesAt,
  windowDueAt,
  caseMoment,
  type ActorKind,
  type CaseMoment,
  type CaseWindows,
  type ScheduledDeadline,
  type SlaPhase,
  type SlaWindowTarget,
} from '@app/domain';
import { alarmOfCurrentRun, openWindowOf, windowIdOf } from './alarm-staleness';
import { planAlarms, type AlarmPlan, type MachineDeadlines, type WindowOverrides } from './sla-alarms';
import { SlaCatalogue, type SlaContext } from './sla-catalogue';
import { annotation, clockChanged, clockColumnsOf, startClocks, stateOf, stepClocks, type ClockStep, type ReadClock } from './sla-clocks';

/** A reminder of an SLA clock (50 %, 80 %, before the end), as opposed to its breach or a merchant window's reminders. */
const CLOCK_REMINDER = `d.kind = 'sla' and d.sla_clock_id is not null and d.name like 'reminder-%'`;

/**
 * The rows the reminder sweep (fireDueReminders) settles, locked: the clock reminders due, and the
 * row of the job that triggered it. Parameters: the triggering row's id, now, that id again.
 * Exported for the query-plan test, which holds it to the pending-by-time index.
 */
export function dueClockRemindersSql(limit: number): string {
  return `select d.id, d.sla_clock_id, d.name, d.created_at from deadlines d
          where ${CLOCK_REMINDER} and d.status = 'pending'
            -- the triggering row always, even if its job ran a moment before its due time
            and (d.id = ? or d.due_at <= ?)
            -- a test clock's reminders fire when the merchant advances it, not by the wall clock
            and d.case_id not in (select tc.id from cases tc where tc.test_clock_id is not null)
          order by d.id = ? desc, d.due_at limit ${Math.max(1, Math.floor(limit))}
          for update of d skip locked`;
}

export interface DeadlinePeek {
  status: string;
  caseId: string;
  clockReminder: boolean;
  dueAt: Date;
  /** The test clock of the deadline's case: only advancing that clock fires it, never a job at wall-clock time. */
  testClockId: string | null;
}

/** What the planning phase of a transition found: everything the clocks and alarms phases need, so they read nothing. */
export interface SlaPlan {
  context: SlaContext | undefined;
  /** Where the machine's scheduled deadlines fall (business-time windows follow the policy's calendar). */
  dueAt: (scheduled: ScheduledDeadline, now: Date) => Date;
  /** The case's clocks as read, by target. */
  clocks: ReadClock[];
  overrides: WindowOverrides;
}

const WINDOW_MS_KEY: Record<SlaWindowTarget, keyof CaseWindows> = {
  merchantResponse: 'merchantResponseMs',
  customerReply: 'infoReplyMs',
};

/**
 * Runs the SLA clocks of cases inside the command's transaction: starts them when a case opens,
 * pauses them while the machine waits on someone outside support (`sla:paused`), freezes them
 * when the case is resolved and resumes the resolution clock if it is reopened, and turns their
 * reminder and breach moments into durable deadline rows (kind `sla`) that fire through the same
 * deadline path as machine `after` events.
 *
 * A transition calls it once per phase: `plan` (policy, machine deadline placement, the clocks as
 * read), `stepClocks` (sla-clocks.ts, pure), `planAlarms` (sla-alarms.ts, pure). None of them
 * writes: the rows go back to the command, whose writer sends them with the case's own.
 */
@Injectable()
export class SlaTracker {
  constructor(
    private readonly catalogue: SlaCatalogue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  forFacts = (facts: Parameters<SlaCatalogue['forFacts']>[0]) => this.catalogue.forFacts(facts);
  forCase = (caseEntity: Pick<CaseEntity, 'slaPolicyId'>) => this.catalogue.forPolicy(caseEntity.slaPolicyId);

  /**
   * The case's windows: explicit overrides (environment) win, then the policy's windows, then the
   * defaults. They are copied into the case's context when it opens.
   */
  windowsFor(sla: SlaContext | undefined): CaseWindows {
    const windows = { ...this.config.windows };
    for (const [name, key] of Object.entries(WINDOW_MS_KEY) as Array<[SlaWindowTarget, keyof CaseWindows]>) {
      const target = sla?.policy.targets[name];
      // Business-time windows are placed by dueAtPlanner; the nominal length is kept for the record.
      if (target) windows[key] = target.minutes * 60_000;
    }
    return { ...windows, ...this.config.windowOverrides };
  }

  /** Due times of machine deadlines: business-time windows follow the policy's calendar. */
  dueAtPlanner(sla: SlaContext | undefined) {
    const overrides = this.config.windowOverrides;
    return (scheduled: ScheduledDeadline, now: Date): Date => {
      const window = (Object.keys(SLA_WINDOW_TARGETS) as SlaWindowTarget[]).find((name) => SLA_WINDOW_TARGETS[name] === scheduled.name);
      const target = window && sla?.policy.targets[window];
      if (sla && target?.mode === 'business' && overrides[WINDOW_MS_KEY[window!]] === undefined) return windowDueAt(target, sla.calendar, now);
      return new Date(now.getTime() + scheduled.delayMs);
    };
  }

  /**
   * Planning phase of a transition of an existing case: its policy, how its machine deadlines are
   * placed, and its clocks as they are (each with the calendar it started on). `clocks` are the
   * case's clocks as read after its lock (the command's lock reads them in the same round trip:
   * CASE_CLOCKS_SQL), fresh objects this plan may own: the command's writer writes them back.
   */
  async plan(caseEntity: Pick<CaseEntity, 'id' | 'slaPolicyId'>, clocks: readonly SlaClockEntity[]): Promise<SlaPlan> {
    const context = await this.forCase(caseEntity);
    const plan: SlaPlan = { context, dueAt: this.dueAtPlanner(context), clocks: [], overrides: this.overrides() };
    if (!context) return plan;
    for (const clock of clocks) {
      // A clock is measured on the calendar it started with, as stored on it (what-if does the same).
      plan.clocks.push({ clock, calendar: (await this.catalogue.calendar(clock.calendarId)) ?? context.calendar, loaded: clockColumnsOf(clock) });
    }
    return plan;
  }

  /** Planning phase of a case that opens: its machine deadlines' placement on the policy it matched. */
  planOpening(context: SlaContext | undefined): SlaPlan {
    return { context, dueAt: this.dueAtPlanner(context), clocks: [], overrides: this.overrides() };
  }

  /** Clocks phase of a case that opens: its clocks, started in the phase of its first state. */
  startClocks(caseId: string, plan: SlaPlan, phase: SlaPhase, now: Date): ClockStep {
    return startClocks(caseId, plan.context, phase, now);
  }

  /** Clocks phase of a transition: the case's clocks paused, resumed, completed or frozen as its new state says. */
  stepClocks(plan: SlaPlan, caseEntity: Pick<CaseEntity, 'id' | 'state' | 'version'>, input: { phase: SlaPhase; caseDone: boolean; actorKind: ActorKind; now: Date }): ClockStep {
    if (!plan.context) return { clocks: [], started: [], changed: [], stopped: [], running: [], annotations: [] };
    return stepClocks(caseEntity, plan.clocks, input);
  }

  /** Alarms phase: the SLA deadline rows the clocks phase and the machine's deadlines call for (see planAlarms). */
  planAlarms(plan: SlaPlan, caseEntity: Pick<CaseEntity, 'id' | 'state' | 'merchantId'>, step: ClockStep, machine: MachineDeadlines, now: Date): AlarmPlan {
    return planAlarms(caseEntity, plan.context, step, machine, plan.overrides, now);
  }

  private overrides(): WindowOverrides {
    return { merchantResponse: this.config.windowOverrides.merchantResponseMs !== undefined, customerReply: this.config.windowOverrides.infoReplyMs !== undefined };
  }

  /**
   * A deadline's status and case, and whether it is a clock reminder (the kind fireDueReminders
   * settles); null when there is no such deadline. A plain read: whoever acts on it locks first.
   */
  async peekDeadline(sql: SqlSession, deadlineId: string): Promise<DeadlinePeek | null> {
    const [row] = await sql.all<{ status: string; case_id: string; clock_reminder: boolean; due_at: string | Date; test_clock_id: string | null }>(
      `select d.status, d.case_id, d.due_at, (${CLOCK_REMINDER}) as clock_reminder, c.test_clock_id
           from deadlines d join cases c on c.id = d.case_id where d.id = ?`,
      [deadlineId],
    );
    return row ? { status: row.status, caseId: row.case_id, clockReminder: row.clock_reminder, dueAt: new Date(row.due_at), testClockId: row.test_clock_id } : null;
  }

  /**
   * Fires every clock reminder that is due now, up to `limit`, in one set-based statement (the row
   * of the job that triggered it included, even a moment early), inside the caller's transaction
   * if there is one, else atomic on its own. Reminders change no case, so they need no case lock;
   * rows another transaction holds are skipped (that transaction settles them, or its job retries).
   * Many clocks on one business calendar reach 80 % at the same opening minute: one job settles
   * them all, and the other jobs find their rows settled. Same dedupe key and payload as
   * fireClockAlarm, so whichever path fires a reminder, it is delivered once.
   * Returns the rows this statement settled, with their outcome. Only the earliest pending alarm of
   * a clock has a job, so the caller hands the job on to each clock's next alarm after commit.
   */
  async fireDueReminders(sql: SqlSession, triggerId: string, now: Date, limit = 20_000): Promise<Array<{ id: string; status: 'fired' | 'stale' }>> {
    return sql.all<{ id: string; status: 'fired' | 'stale' }>(
      `with due as (${dueClockRemindersSql(limit)}), live as (
         select due.id, due.name, k.case_id, k.target, k.policy_id, k.due_at as clock_due, c.assignee_id, c.subject
           from due join sla_clocks k on k.id = due.sla_clock_id and k.status = 'running'
                    -- planned in this run of the clock: alarmOfCurrentRun (alarm-staleness.ts) in SQL, set-based
                    and (k.running_since is null or due.created_at >= k.running_since)
           join cases c on c.id = k.case_id
       ), notified as (
         insert into notifications (id, audience, recipient_agent_id, case_id, type, payload, dedupe_key, created_at)
         select gen_random_uuid(), case when assignee_id is null then 'supervisors' else 'agent' end, assignee_id, case_id, 'sla.reminder',
                jsonb_build_object('caseId', case_id, 'target', target, 'policyId', policy_id,
                  'dueAt', to_char(clock_due at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'subject', subject, 'reminder', name),
                id::text, ?
           from live
         on conflict (dedupe_key) do nothing
       )
       update deadlines d
          set status = case when exists (select 1 from live where live.id = d.id) then 'fired' else 'stale' end, settled_at = ?
         from due where d.id = due.id
       returning d.id, d.status`,
      [triggerId, now, triggerId, now, now],
    );
  }

  /**
   * A reminder or breach alarm of the locked case is due. `fired` is false when the clock (or
   * window) it belongs to no longer runs: a stale alarm does nothing. Writes nothing: the rows it
   * adds and changes (clock, case escalation, annotation, notifications, outbox) are returned for
   * the command's writer, and a breach changes the locked case itself (no second copy of its row).
   */
  async fireAlarm(locked: { entity: CaseEntity; live: readonly DeadlineEntity[]; clocks: readonly SlaClockEntity[] }, deadline: DeadlineEntity, now: Date): Promise<AlarmFiring> {
    const windowId = windowIdOf(deadline);
    if (windowId !== undefined) return fireWindowReminder(locked, windowId, deadline, now);
    return this.fireClockAlarm(locked.entity, locked.clocks, deadline, now);
  }

  private async fireClockAlarm(caseEntity: CaseEntity, clocks: readonly SlaClockEntity[], deadline: DeadlineEntity, now: Date): Promise<AlarmFiring> {
    const firing = noFiring();
    const clock = deadline.slaClockId ? clocks.find((candidate) => candidate.id === deadline.slaClockId) : undefined;
    // A clock that stopped or paused, or an alarm of an earlier run (one put back by hand: the
    // redrive settles such a one as stale).
    if (!clock || !alarmOfCurrentRun(deadline, clock)) return firing;
    const read = clockColumnsOf(clock);
    const assigneeId = caseEntity.assignee?.id ?? null;
    const about = { caseId: caseEntity.id, target: clock.target, policyId: clock.policyId, dueAt: clock.dueAt?.toISOString() ?? null, subject: caseEntity.subject };

    if (deadline.name !== 'breach') {
      firing.notifications.push(notification(`${deadline.id}`, assigneeId, 'sla.reminder', { ...about, reminder: deadline.name }, now));
      return { ...firing, fired: true };
    }
    const sla = await this.forCase(caseEntity);
    const calendar = sla ? ((await this.catalogue.calendar(clock.calendarId)) ?? sla.calendar) : undefined;
    const dueNow = calendar ? dueAtOf(stateOf(clock), calendar) : null;
    if (calendar && dueNow && dueNow.getTime() > now.getTime() + 1000) {
      // The calendar changed since the alarm was planned (e.g. a holiday was added): the clock is
      // not used up yet, so this alarm is stale and a new one goes where the breach now is.
      clock.dueAt = dueNow;
      const replacement = Object.assign(new DeadlineEntity(), {
        id: randomUUID(),
        caseId: clock.caseId,
        kind: 'sla' as const,
        slaClockId: clock.id,
        name: 'breach',
        sendId: `sla.${clock.target}.breach`,
        event: { type: `sla.${clock.target}.breach` },
        dueAt: dueNow,
        createdAt: now,
      });
      return { ...firing, scheduled: [replacement], clocks: clockChanged({ clock, calendar, loaded: read }) ? [clock] : [] };
    }
    clock.usedMinutes = calendar ? usedMinutesAt(stateOf(clock), calendar, now) : clock.minutes;
    clock.status = 'breached';
    clock.breachedAt = now;
    clock.breachedAssigneeId = assigneeId;
    clock.runningSince = null;
    clock.dueAt = null;
    const from = caseEntity.priority;
    caseEntity.priority = escalatedPriority(from);
    caseEntity.escalatedAt ??= now;
    firing.fired = true;
    firing.caseChanged = true;
    firing.clocks.push(clock);
    firing.annotations.push(
      annotation(caseEntity, 'sla.breached', { target: clock.target, policyId: clock.policyId, priorityFrom: from, priorityTo: caseEntity.priority }, now, 1),
    );
    firing.notifications.push(notification(`${deadline.id}-supervisors`, null, 'sla.breached', about, now));
    if (!assigneeId) return firing;
    firing.notifications.push(notification(`${deadline.id}-assignee`, assigneeId, 'sla.breached', about, now));
    // The assignee also hears of it by email (the notification workers send it once, by this row).
    firing.outbox.push(
      Object.assign(new OutboxEntity(), {
        id: randomUUID(),
        caseId: caseEntity.id,
        type: 'notify',
        payload: { topic: 'sla.breached', audience: ['assignee'], assigneeId, target: clock.target, caseKind: caseEntity.kind, caseState: caseEntity.state },
        createdAt: now,
      }),
    );
    return firing;
  }
}

/** What an alarm that came due adds and changes, for the command's writer. */
export interface AlarmFiring {
  fired: boolean;
  /** A breach escalated the case (priority, escalatedAt): its row is written and its version bumped. */
  caseChanged: boolean;
  /** Notifications for outside parties (the merchant, the customer, the assignee's email), committed with the firing. */
  outbox: OutboxEntity[];
  /** A replacement alarm when the old one turned out early. */
  scheduled: DeadlineEntity[];
  /** Agents' inbox notices. */
  notifications: NotificationEntity[];
  annotations: CaseEventEntity[];
  /** Clocks whose row changed. */
  clocks: SlaClockEntity[];
}

const noFiring = (): AlarmFiring => ({ fired: false, caseChanged: false, outbox: [], scheduled: [], notifications: [], annotations: [], clocks: [] });

function fireWindowReminder(locked: { entity: CaseEntity; live: readonly DeadlineEntity[] }, windowId: string, deadline: DeadlineEntity, now: Date): AlarmFiring {
  const window = openWindowOf(windowId, locked.live);
  if (!window) return noFiring();
  const caseEntity = locked.entity;
  const payload = deadline.name.startsWith('customer-')
    ? { topic: `${caseEntity.kind}.info_reply_due_soon`, audience: ['customer'], replyDueBy: window.dueAt.toISOString() }
    : deadline.name.startsWith('merchant-info-')
      ? // The merchant before an agent's information request to them times out.
        { topic: `${caseEntity.kind}.info_request_due_soon`, audience: ['merchant'], merchantId: caseEntity.merchantId, replyDueBy: window.dueAt.toISOString() }
      : { topic: `${caseEntity.kind}.evidence_due_soon`, audience: ['merchant'], merchantId: caseEntity.merchantId, evidenceDueBy: window.dueAt.toISOString() };
  // A reminder to the merchant carries the case as it is now, so its webhook tells what was true then however late it goes.
  const moment = payload.audience.includes('merchant') ? { moment: momentNow(caseEntity, locked.live, now) } : {};
  const reminder = Object.assign(new OutboxEntity(), {
    id: randomUUID(),
    caseId: caseEntity.id,
    type: 'notify',
    payload: { ...payload, reminder: deadline.name, caseKind: caseEntity.kind, caseState: caseEntity.state, ...moment },
    createdAt: now,
  });
  return { ...noFiring(), fired: true, outbox: [reminder] };
}

function notification(dedupeKey: string, agentId: string | null, type: string, payload: Record<string, unknown>, now: Date): NotificationEntity {
  return Object.assign(new NotificationEntity(), {
    id: randomUUID(),
    audience: agentId ? ('agent' as const) : ('supervisors' as const),
    recipientAgentId: agentId,
    caseId: payload.caseId as string,
    type,
    payload,
    dedupeKey,
    createdAt: now,
  });
}

/**
 * A case's clocks, by target. One parameter: the case id. Not locked: only a command holding the
 * case's lock changes them, so read after that lock they are as the last command left them. The
 * columns are named: the command path keeps the statement prepared (see SqlStatement.prepared).
 */
export const CASE_CLOCKS_SQL = `select id, case_id, policy_id, target, minutes, mode, calendar_id, status, used_minutes, running_since, due_at,
  met_at, breached_at, breached_assignee_id, finished_at, finished_minutes, created_at
  from sla_clocks where case_id = ? order by target`;

/**
 * Rows CASE_CLOCKS_SQL returned, as plain objects (outside the unit of work: the command's writer
 * writes them back).
 */
export function clocksFromRows(rows: readonly object[]): SlaClockEntity[] {
  return (rows as ClockRow[]).map(clockFromRow);
}

interface ClockRow {
  id: string;
  case_id: string;
  policy_id: string;
  target: SlaClockEntity['target'];
  minutes: number;
  mode: SlaClockEntity['mode'];
  calendar_id: string;
  status: SlaClockEntity['status'];
  used_minutes: number;
  running_since: Date | string | null;
  due_at: Date | string | null;
  met_at: Date | string | null;
  breached_at: Date | string | null;
  breached_assignee_id: string | null;
  finished_at: Date | string | null;
  finished_minutes: number | null;
  created_at: Date | string;
}

function clockFromRow(row: ClockRow): SlaClockEntity {
  return Object.assign(new SlaClockEntity(), {
    id: row.id,
    caseId: row.case_id,
    policyId: row.policy_id,
    target: row.target,
    minutes: Number(row.minutes),
    mode: row.mode,
    calendarId: row.calendar_id,
    status: row.status,
    usedMinutes: Number(row.used_minutes),
    runningSince: timestampOrNull(row.running_since),
    dueAt: timestampOrNull(row.due_at),
    metAt: timestampOrNull(row.met_at),
    breachedAt: timestampOrNull(row.breached_at),
    breachedAssigneeId: row.breached_assignee_id,
    finishedAt: timestampOrNull(row.finished_at),
    finishedMinutes: row.finished_minutes === null ? null : Number(row.finished_minutes),
    createdAt: new Date(row.created_at),
  });
}

/** The case as it is when a reminder to the merchant fires (a reminder changes nothing on it), with its pending machine deadlines (see CaseMoment). */
function momentNow(caseEntity: CaseEntity, live: readonly DeadlineEntity[], now: Date): CaseMoment {
  const { snapshot, state, status, version, updatedAt } = caseEntity;
  return caseMoment({ at: now, updatedAt, version, state, status, snapshot, deadlines: live });
}
