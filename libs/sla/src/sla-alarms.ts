import { randomUUID } from 'node:crypto';
import { DeadlineEntity, type CaseEntity, type SlaClockEntity } from '@app/db';
import { SLA_WINDOW_TARGETS, plannedAlarms, type BusinessCalendar, type SlaPolicy, type SlaWindowTarget } from '@app/domain';
import type { SlaContext } from './sla-catalogue';
import { stateOf, type ClockStep } from './sla-clocks';
import { windowReminderSendId } from './alarm-staleness';

/**
 * The alarms phase of a transition, pure: the SLA deadline rows (kind `sla`) the clocks phase and
 * the machine's own deadlines call for. Alarms of clocks that stopped are cancelled, clocks that
 * (re)started get their reminders and breach, a merchant or customer window that opened gets its
 * reminders, and the reminders of a window that closed go with it (marked on the live rows, whose
 * jobs the command works out from the rows as they are after it: deadline-jobs.ts). Writes nothing.
 */
export interface AlarmPlan {
  /** New alarm rows: the clocks' (also added to `pending`, so the case's next deadline counts their breach) and the windows' reminders. */
  scheduled: DeadlineEntity[];
}

export interface MachineDeadlines {
  /** The machine deadlines the transition scheduled. */
  scheduled: readonly DeadlineEntity[];
  /** Ids of the machine deadlines it cancelled. */
  cancelledIds: readonly string[];
  /** Every pending deadline of the case after the machine's part (the clocks' new alarms are added to it). */
  pending: DeadlineEntity[];
}

export interface WindowOverrides {
  merchantResponse: boolean;
  customerReply: boolean;
}

export function planAlarms(
  caseEntity: Pick<CaseEntity, 'id' | 'state' | 'merchantId'>,
  sla: SlaContext | undefined,
  step: ClockStep,
  machine: MachineDeadlines,
  overrides: WindowOverrides,
  now: Date,
): AlarmPlan {
  const plan: AlarmPlan = { scheduled: [] };
  const cancel = (deadline: DeadlineEntity) => {
    deadline.status = 'cancelled';
    deadline.settledAt = now;
  };
  if (sla) {
    const stopped = new Set(step.stopped.map((clock) => clock.id));
    for (const deadline of machine.pending) if (deadline.slaClockId && stopped.has(deadline.slaClockId) && deadline.status === 'pending') cancel(deadline);
    for (const { clock, calendar } of step.running) {
      const alarms = clockAlarms(clock, sla.policy.reminders, calendar, now);
      plan.scheduled.push(...alarms);
      machine.pending.push(...alarms);
    }
    plan.scheduled.push(...windowReminders(caseEntity, sla, machine.scheduled, overrides, now));
  }
  // Reminders of a merchant window that just closed (the merchant answered) go with it.
  const closedWindows = new Set(machine.cancelledIds.map(windowReminderSendId));
  for (const deadline of machine.pending) if (deadline.status === 'pending' && closedWindows.has(deadline.sendId)) cancel(deadline);
  return plan;
}

/** A running clock's reminders and breach, as deadline rows. */
export function clockAlarms(clock: SlaClockEntity, reminders: SlaPolicy['reminders'], calendar: BusinessCalendar, now: Date): DeadlineEntity[] {
  return plannedAlarms(stateOf(clock), reminders, calendar, now).map((alarm) =>
    Object.assign(new DeadlineEntity(), {
      id: randomUUID(),
      caseId: clock.caseId,
      kind: 'sla' as const,
      slaClockId: clock.id,
      name: alarm.name,
      sendId: `sla.${clock.target}.${alarm.name}`,
      event: { type: `sla.${clock.target}.${alarm.name}` },
      dueAt: alarm.at,
      createdAt: now,
    }),
  );
}

/** The deadline event of a window's reminder, per party (the deadline's name starts with the party). */
const WINDOW_REMINDER_EVENT = {
  merchant: 'sla.merchantResponse.reminder',
  customer: 'sla.customerReply.reminder',
  'merchant-info': 'sla.merchantInfoReply.reminder',
} as const;

/**
 * Reminders to the merchant before a merchant window closes (`dispute.evidence_due_soon`), and to
 * the customer before an information request's window closes (`<kind>.info_reply_due_soon`), on
 * the policy's reminder ladder. They leave through the outbox like every other notification.
 */
function windowReminders(
  caseEntity: Pick<CaseEntity, 'id' | 'state' | 'merchantId'>,
  sla: SlaContext,
  scheduled: readonly DeadlineEntity[],
  overrides: WindowOverrides,
  now: Date,
): DeadlineEntity[] {
  const reminders: DeadlineEntity[] = [];
  if (caseEntity.state.endsWith('awaitingCustomerInfo')) {
    for (const window of scheduled.filter((d) => d.kind === 'machine' && d.name === 'infoReplyWindow')) {
      reminders.push(...remindersOf(caseEntity, sla, window, 'customer', sla.policy.targets.customerReply, overrides.customerReply, now));
    }
  }
  if (!caseEntity.merchantId) return reminders;
  // And the merchant before an agent's information request to them times out (`<kind>.info_request_due_soon`).
  if (caseEntity.state.endsWith('awaitingMerchantInfo')) {
    for (const window of scheduled.filter((d) => d.kind === 'machine' && d.name === 'infoReplyWindow')) {
      reminders.push(...remindersOf(caseEntity, sla, window, 'merchant-info', sla.policy.targets.customerReply, overrides.customerReply, now));
    }
  }
  for (const window of scheduled.filter((d) => d.kind === 'machine' && d.name === SLA_WINDOW_TARGETS.merchantResponse)) {
    reminders.push(...remindersOf(caseEntity, sla, window, 'merchant', sla.policy.targets.merchantResponse, overrides.merchantResponse, now));
  }
  return reminders;
}

function remindersOf(
  caseEntity: Pick<CaseEntity, 'id'>,
  sla: SlaContext,
  window: DeadlineEntity,
  party: keyof typeof WINDOW_REMINDER_EVENT,
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
      Object.assign(new DeadlineEntity(), {
        id: randomUUID(),
        caseId: caseEntity.id,
        kind: 'sla' as const,
        name: `${party}-${alarm.name}`,
        // The window's own row id: when it is no longer pending, the reminder is stale.
        sendId: windowReminderSendId(window.id),
        event: { type: WINDOW_REMINDER_EVENT[party] },
        dueAt: alarm.at,
        createdAt: now,
      }),
    );
}
