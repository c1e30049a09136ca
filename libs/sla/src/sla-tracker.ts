import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { CaseEntity, CaseEventEntity, DeadlineEntity, NotificationEntity, OutboxEntity, SlaClockEntity } from '@app/db';
import {
  SLA_CLOCK_TARGETS,
  SLA_WINDOW_TARGETS,
  completeClock,
  dueAtOf,
  escalatedPriority,
  pauseClock,
  plannedAlarms,
  resumeClock,
  usedMinutesAt,
  windowDueAt,
  caseMoment,
  type ActorKind,
  type CaseMoment,
  type BusinessCalendar,
  type CaseWindows,
  type ScheduledDeadline,
  type SlaClockState,
  type SlaPhase,
  type SlaPolicy,
  type SlaWindowTarget,
} from '@app/domain';
import { SlaCatalogue, type SlaContext } from './sla-catalogue';

/**
 * The case as it is when a reminder to the merchant fires, stored with its outbox row so the webhook
 * tells what was true then however late it is delivered (see CaseMoment).
 */
async function momentNow(em: EntityManager, caseEntity: Pick<CaseEntity, 'id' | 'snapshot' | 'state' | 'status' | 'version' | 'updatedAt'>, now: Date): Promise<CaseMoment> {
  const pending = await em.find(DeadlineEntity, { caseId: caseEntity.id, kind: 'machine', status: 'pending' }, { fields: ['kind', 'name', 'dueAt', 'status'] });
  const { snapshot, state, status, version, updatedAt } = caseEntity;
  return caseMoment({ at: now, updatedAt, version, state, status, snapshot, deadlines: pending });
}

export interface AlarmOutcome {
  fired: boolean;
  /** Notifications for outside parties (the merchant), committed with the firing. */
  outbox: OutboxEntity[];
  /** A replacement alarm when the old one turned out early. */
  scheduled: DeadlineEntity[];
}

/** The deadline event of a window's reminder, per party (the deadline's name starts with the party). */
const WINDOW_REMINDER_EVENT = {
  merchant: 'sla.merchantResponse.reminder',
  customer: 'sla.customerReply.reminder',
  'merchant-info': 'sla.merchantInfoReply.reminder',
} as const;

/** A reminder of an SLA clock (50 %, 80 %, before the end), as opposed to its breach or a merchant window's reminders. */
const CLOCK_REMINDER = `d.kind = 'sla' and d.sla_clock_id is not null and d.name like 'reminder-%'`;

export interface DeadlinePeek {
  status: string;
  caseId: string;
  clockReminder: boolean;
  dueAt: Date;
}

export interface SlaWork {
  scheduled: DeadlineEntity[];
  cancelledIds: string[];
}

export interface SlaTransitionWork extends SlaWork {
  /** The case's clocks as this transition left them. */
  clocks: SlaClockEntity[];
}

const WINDOW_MS_KEY: Record<SlaWindowTarget, keyof CaseWindows> = {
  merchantResponse: 'merchantResponseMs',
  customerReply: 'infoReplyMs',
};

function stateOf(clock: SlaClockEntity): SlaClockState {
  return {
    target: { minutes: clock.minutes, mode: clock.mode },
    status: clock.status,
    usedMinutes: clock.usedMinutes,
    runningSince: clock.runningSince,
  };
}

/**
 * Runs the SLA clocks of cases inside the command's transaction: starts them when a case opens,
 * pauses them while the machine waits on someone outside support (`sla:paused`), freezes them
 * when the case is resolved and resumes the resolution clock if it is reopened, and turns their
 * reminder and breach moments into durable deadline rows (kind `sla`) that fire through the same
 * deadline path as machine `after` events.
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

  startClocks(em: EntityManager, caseEntity: CaseEntity, sla: SlaContext | undefined, phase: SlaPhase, now: Date): SlaWork {
    const work: SlaWork = { scheduled: [], cancelledIds: [] };
    if (!sla) return work;
    for (const target of SLA_CLOCK_TARGETS) {
      const spec = sla.policy.targets[target];
      if (!spec) continue;
      const clock = em.create(SlaClockEntity, {
        id: randomUUID(),
        caseId: caseEntity.id,
        policyId: sla.policy.id,
        target,
        minutes: spec.minutes,
        mode: spec.mode,
        calendarId: sla.calendar.id,
        status: 'running',
        usedMinutes: 0,
        runningSince: now,
        createdAt: now,
      });
      if (phase !== 'running')
        this.apply(em, clock, phase === 'paused' ? pauseClock(stateOf(clock), sla.calendar, now) : completeClock(stateOf(clock), sla.calendar, now), sla, now, [], work);
      else this.apply(em, clock, stateOf(clock), sla, now, [], work, true);
    }
    return work;
  }

  async onTransition(
    em: EntityManager,
    caseEntity: CaseEntity,
    phase: SlaPhase,
    caseDone: boolean,
    actorKind: ActorKind,
    now: Date,
    pending: DeadlineEntity[],
  ): Promise<SlaTransitionWork> {
    const sla = await this.forCase(caseEntity);
    if (!sla) return { scheduled: [], cancelledIds: [], clocks: [] };
    const clocks = await em.find(SlaClockEntity, { caseId: caseEntity.id }, { orderBy: { target: 'asc' } });
    const work: SlaTransitionWork = { scheduled: [], cancelledIds: [], clocks };
    for (const clock of clocks) {
      // A clock is measured on the calendar it started with, as stored on it (what-if does the same).
      const clockSla = { ...sla, calendar: await this.calendarOf(clock, sla.calendar) };
      let next = stateOf(clock);
      // First response: the first thing an agent does on the case.
      if (clock.target === 'firstResponse' && actorKind === 'agent') next = completeClock(next, clockSla.calendar, now);
      if (phase === 'paused') next = pauseClock(next, clockSla.calendar, now);
      if (phase === 'running' && next.status === 'paused') next = resumeClock(next, now);
      if (phase === 'running' && next.status === 'stopped' && clock.target === 'resolution') {
        // Reopened (an appeal): the resolution clock continues with the time it had used.
        next = resumeClock(next, now);
        this.annotate(em, caseEntity, 'sla.clock_resumed', { target: clock.target, usedMinutes: Math.round(next.usedMinutes), rule: 'continue_resolution_clock' }, now);
      }
      // A breached clock stays breached, but reports still want how long the response or resolution took.
      const reached = (clock.target === 'firstResponse' && actorKind === 'agent') || phase === 'stopped';
      if (reached && clock.status === 'breached' && clock.breachedAt && clock.finishedAt === null) {
        clock.finishedAt = now;
        clock.finishedMinutes = usedMinutesAt({ ...next, status: 'running', runningSince: clock.breachedAt }, clockSla.calendar, now);
      }
      if (phase === 'stopped') {
        next = completeClock(next, clockSla.calendar, now);
        // A resolved case freezes its resolution clock; only a closed one finishes it for good.
        if (!caseDone && clock.target === 'resolution' && next.status === 'met') next = { ...next, status: 'stopped' };
      }
      this.apply(em, clock, next, clockSla, now, pending, work);
    }
    return work;
  }

  private async calendarOf(clock: SlaClockEntity, fallback: BusinessCalendar): Promise<BusinessCalendar> {
    return (await this.catalogue.calendar(clock.calendarId)) ?? fallback;
  }

  /**
   * Reminders to the merchant before a merchant window closes (`dispute.evidence_due_soon`), on the
   * policy's reminder ladder. They leave through the outbox like every other notification.
   */
  planWindowReminders(em: EntityManager, caseEntity: CaseEntity, sla: SlaContext | undefined, scheduled: DeadlineEntity[], now: Date): DeadlineEntity[] {
    if (!sla) return [];
    const reminders: DeadlineEntity[] = [];
    // The customer is reminded too before an information request's window closes (`<kind>.info_reply_due_soon`).
    if (caseEntity.state.endsWith('awaitingCustomerInfo')) {
      for (const window of scheduled.filter((d) => d.kind === 'machine' && d.name === 'infoReplyWindow')) {
        reminders.push(...this.remindersOf(em, caseEntity, sla, window, 'customer', sla.policy.targets.customerReply, this.config.windowOverrides.infoReplyMs !== undefined, now));
      }
    }
    if (!caseEntity.merchantId) return reminders;
    // And the merchant before an agent's information request to them times out (`<kind>.info_request_due_soon`).
    if (caseEntity.state.endsWith('awaitingMerchantInfo')) {
      for (const window of scheduled.filter((d) => d.kind === 'machine' && d.name === 'infoReplyWindow')) {
        reminders.push(
          ...this.remindersOf(em, caseEntity, sla, window, 'merchant-info', sla.policy.targets.customerReply, this.config.windowOverrides.infoReplyMs !== undefined, now),
        );
      }
    }
    for (const window of scheduled.filter((d) => d.kind === 'machine' && d.name === SLA_WINDOW_TARGETS.merchantResponse)) {
      reminders.push(
        ...this.remindersOf(em, caseEntity, sla, window, 'merchant', sla.policy.targets.merchantResponse, this.config.windowOverrides.merchantResponseMs !== undefined, now),
      );
    }
    return reminders;
  }

  private remindersOf(
    em: EntityManager,
    caseEntity: CaseEntity,
    sla: SlaContext,
    window: DeadlineEntity,
    party: 'merchant' | 'customer' | 'merchant-info',
    spec: SlaPolicy['targets'][SlaWindowTarget],
    overridden: boolean,
    now: Date,
  ): DeadlineEntity[] {
    // The window as it was actually scheduled: in the policy's mode, or wall-clock when overridden.
    const target = spec && !overridden ? spec : { minutes: (window.dueAt.getTime() - now.getTime()) / 60_000, mode: 'calendar' as const };
    const alarms = plannedAlarms({ target, status: 'running', usedMinutes: 0, runningSince: now }, sla.policy.reminders, sla.calendar, now);
    return alarms
      .filter((alarm) => alarm.name !== 'breach')
      .map((alarm) =>
        em.create(DeadlineEntity, {
          id: randomUUID(),
          caseId: caseEntity.id,
          kind: 'sla',
          name: `${party}-${alarm.name}`,
          // The window's own row id: when it is no longer pending, the reminder is stale.
          sendId: `window.${window.id}`,
          event: { type: WINDOW_REMINDER_EVENT[party] },
          dueAt: alarm.at,
          createdAt: now,
        }),
      );
  }

  /**
   * A deadline's status and case, and whether it is a clock reminder (the kind fireDueReminders
   * settles); null when there is no such deadline. A plain read: whoever acts on it locks first.
   */
  async peekDeadline(em: EntityManager, deadlineId: string): Promise<DeadlinePeek | null> {
    const [row] = await em
      .getConnection()
      .execute<Array<{ status: string; case_id: string; clock_reminder: boolean; due_at: string | Date }>>(
        `select d.status, d.case_id, d.due_at, (${CLOCK_REMINDER}) as clock_reminder from deadlines d where d.id = ?`,
        [deadlineId],
        'all',
        em.getTransactionContext(),
      );
    return row ? { status: row.status, caseId: row.case_id, clockReminder: row.clock_reminder, dueAt: new Date(row.due_at) } : null;
  }

  /**
   * Fires every clock reminder that is due now, up to `limit`, in one set-based statement (the row
   * of the job that triggered it included, even a moment early), inside the caller's transaction
   * if there is one, else atomic on its own. Reminders change no case, so they need no case lock;
   * rows another transaction holds are skipped (that transaction settles them, or its job retries).
   * Many clocks on one business calendar reach 80 % at the same opening minute: one job settles
   * them all, and the other jobs find their rows settled. Same dedupe key and payload as
   * fireClockAlarm, so whichever path fires a reminder, it is delivered once.
   * Returns the rows this statement settled, with their outcome.
   */
  async fireDueReminders(em: EntityManager, triggerId: string, now: Date, limit = 20_000): Promise<Array<{ id: string; status: 'fired' | 'stale' }>> {
    return em.getConnection().execute<Array<{ id: string; status: 'fired' | 'stale' }>>(
      `with due as (
         select d.id, d.sla_clock_id, d.name from deadlines d
          where ${CLOCK_REMINDER} and d.status = 'pending'
            -- the triggering row always, even if its job ran a moment before its due time
            and (d.id = ? or d.due_at <= ?)
          order by d.id = ? desc, d.due_at limit ${Math.max(1, Math.floor(limit))}
          for update of d skip locked
       ), live as (
         select due.id, due.name, k.case_id, k.target, k.policy_id, k.due_at as clock_due, c.assignee_id, c.subject
           from due join sla_clocks k on k.id = due.sla_clock_id and k.status = 'running' join cases c on c.id = k.case_id
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
      'all',
      em.getTransactionContext(),
    );
  }

  /**
   * A reminder or breach alarm is due. `fired` is false when the clock (or window) it belongs to
   * no longer runs: a stale alarm does nothing.
   */
  async fireAlarm(em: EntityManager, deadline: DeadlineEntity, now: Date): Promise<AlarmOutcome> {
    if (!deadline.slaClockId && deadline.sendId.startsWith('window.')) return this.fireWindowReminder(em, deadline, now);
    return this.fireClockAlarm(em, deadline, now);
  }

  private async fireWindowReminder(em: EntityManager, deadline: DeadlineEntity, now: Date): Promise<AlarmOutcome> {
    const window = await em.findOne(DeadlineEntity, { id: deadline.sendId.slice('window.'.length) });
    if (!window || window.status !== 'pending') return { fired: false, outbox: [], scheduled: [] };
    const caseEntity = await em.findOneOrFail(CaseEntity, { id: deadline.caseId }, { fields: ['id', 'kind', 'state', 'status', 'merchantId', 'snapshot', 'version', 'updatedAt'] });
    if (deadline.name.startsWith('customer-')) {
      const reminder = em.create(OutboxEntity, {
        id: randomUUID(),
        caseId: caseEntity.id,
        type: 'notify',
        payload: {
          topic: `${caseEntity.kind}.info_reply_due_soon`,
          audience: ['customer'],
          replyDueBy: window.dueAt.toISOString(),
          reminder: deadline.name,
          caseKind: caseEntity.kind,
          caseState: caseEntity.state,
        },
        createdAt: now,
      });
      return { fired: true, outbox: [reminder], scheduled: [] };
    }
    if (deadline.name.startsWith('merchant-info-')) {
      const reminder = em.create(OutboxEntity, {
        id: randomUUID(),
        caseId: caseEntity.id,
        type: 'notify',
        payload: {
          topic: `${caseEntity.kind}.info_request_due_soon`,
          audience: ['merchant'],
          merchantId: caseEntity.merchantId,
          replyDueBy: window.dueAt.toISOString(),
          reminder: deadline.name,
          caseKind: caseEntity.kind,
          caseState: caseEntity.state,
          moment: await momentNow(em, caseEntity, now),
        },
        createdAt: now,
      });
      return { fired: true, outbox: [reminder], scheduled: [] };
    }
    const row = em.create(OutboxEntity, {
      id: randomUUID(),
      caseId: caseEntity.id,
      type: 'notify',
      payload: {
        topic: `${caseEntity.kind}.evidence_due_soon`,
        audience: ['merchant'],
        merchantId: caseEntity.merchantId,
        evidenceDueBy: window.dueAt.toISOString(),
        reminder: deadline.name,
        caseKind: caseEntity.kind,
        caseState: caseEntity.state,
        moment: await momentNow(em, caseEntity, now),
      },
      createdAt: now,
    });
    return { fired: true, outbox: [row], scheduled: [] };
  }

  private async fireClockAlarm(em: EntityManager, deadline: DeadlineEntity, now: Date): Promise<AlarmOutcome> {
    const nothing: AlarmOutcome = { fired: false, outbox: [], scheduled: [] };
    const clock = deadline.slaClockId ? await em.findOne(SlaClockEntity, { id: deadline.slaClockId }) : null;
    if (!clock || clock.status !== 'running') return nothing;
    const caseEntity = await em.findOneOrFail(CaseEntity, { id: clock.caseId }, { populate: ['assignee'] });
    const assigneeId = caseEntity.assignee?.id ?? null;
    const about = { caseId: caseEntity.id, target: clock.target, policyId: clock.policyId, dueAt: clock.dueAt?.toISOString() ?? null, subject: caseEntity.subject };

    if (deadline.name !== 'breach') {
      this.notify(em, deadline.id, assigneeId, 'sla.reminder', { ...about, reminder: deadline.name }, now);
      return { fired: true, outbox: [], scheduled: [] };
    }
    const sla = await this.forCase(caseEntity);
    const calendar = sla ? await this.calendarOf(clock, sla.calendar) : undefined;
    const dueNow = calendar ? dueAtOf(stateOf(clock), calendar) : null;
    if (calendar && dueNow && dueNow.getTime() > now.getTime() + 1000) {
      // The calendar changed since the alarm was planned (e.g. a holiday was added): the clock is
      // not used up yet, so this alarm is stale and a new one goes where the breach now is.
      clock.dueAt = dueNow;
      const replacement = em.create(DeadlineEntity, {
        id: randomUUID(),
        caseId: clock.caseId,
        kind: 'sla',
        slaClockId: clock.id,
        name: 'breach',
        sendId: `sla.${clock.target}.breach`,
        event: { type: `sla.${clock.target}.breach` },
        dueAt: dueNow,
        createdAt: now,
      });
      return { fired: false, outbox: [], scheduled: [replacement] };
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
    this.annotate(em, caseEntity, 'sla.breached', { target: clock.target, policyId: clock.policyId, priorityFrom: from, priorityTo: caseEntity.priority }, now, 1);
    this.notify(em, `${deadline.id}-supervisors`, null, 'sla.breached', about, now);
    if (!assigneeId) return { fired: true, outbox: [], scheduled: [] };
    this.notify(em, `${deadline.id}-assignee`, assigneeId, 'sla.breached', about, now);
    // The assignee also hears of it by email (the notification workers send it once, by this row).
    const email = em.create(OutboxEntity, {
      id: randomUUID(),
      caseId: caseEntity.id,
      type: 'notify',
      payload: { topic: 'sla.breached', audience: ['assignee'], assigneeId, target: clock.target, caseKind: caseEntity.kind, caseState: caseEntity.state },
      createdAt: now,
    });
    return { fired: true, outbox: [email], scheduled: [] };
  }

  /** Stores the clock's new state and keeps its alarms in step: cancelled when it stops running, planned when it starts. */
  private apply(em: EntityManager, clock: SlaClockEntity, next: SlaClockState, sla: SlaContext, now: Date, pending: DeadlineEntity[], work: SlaWork, force = false): void {
    const wasRunning = clock.status === 'running' && !force;
    clock.status = next.status;
    clock.usedMinutes = next.usedMinutes;
    clock.runningSince = next.runningSince;
    clock.dueAt = dueAtOf(next, sla.calendar);
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
    if (wasRunning && next.status !== 'running') {
      for (const deadline of pending) {
        if (deadline.slaClockId === clock.id && deadline.status === 'pending') {
          deadline.status = 'cancelled';
          deadline.settledAt = now;
          work.cancelledIds.push(deadline.id);
        }
      }
    }
    if ((!wasRunning || force) && next.status === 'running') {
      for (const alarm of plannedAlarms(next, sla.policy.reminders, sla.calendar, now)) {
        const deadline = em.create(DeadlineEntity, {
          id: randomUUID(),
          caseId: clock.caseId,
          kind: 'sla',
          slaClockId: clock.id,
          name: alarm.name,
          sendId: `sla.${clock.target}.${alarm.name}`,
          event: { type: `sla.${clock.target}.${alarm.name}` },
          dueAt: alarm.at,
          createdAt: now,
        });
        work.scheduled.push(deadline);
        pending.push(deadline);
      }
    }
  }

  private annotate(em: EntityManager, caseEntity: CaseEntity, type: string, payload: Record<string, unknown>, now: Date, versionBump = 0): void {
    em.create(CaseEventEntity, {
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

  private notify(em: EntityManager, dedupeKey: string, agentId: string | null, type: string, payload: Record<string, unknown>, now: Date): void {
    em.create(NotificationEntity, {
      id: randomUUID(),
      audience: agentId ? 'agent' : 'supervisors',
      recipientAgentId: agentId,
      caseId: payload.caseId as string,
      type,
      payload,
      dedupeKey,
      createdAt: now,
    });
  }
}
