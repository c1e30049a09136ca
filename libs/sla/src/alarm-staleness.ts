import type { DeadlineEntity, SlaClockEntity } from '@app/db';

/** A window's reminders carry this before the window's own row id as their send id. */
const WINDOW_REMINDER_PREFIX = 'window.';

/** The send id of a reminder of the window whose row id this is. */
export function windowReminderSendId(windowId: string): string {
  return `${WINDOW_REMINDER_PREFIX}${windowId}`;
}

/**
 * The row id of the window (a machine deadline: a merchant's response window, an information
 * request's reply window) that this alarm reminds of; undefined for a clock's alarm.
 */
export function windowIdOf(alarm: Pick<DeadlineEntity, 'slaClockId' | 'sendId'>): string | undefined {
  return !alarm.slaClockId && alarm.sendId.startsWith(WINDOW_REMINDER_PREFIX) ? alarm.sendId.slice(WINDOW_REMINDER_PREFIX.length) : undefined;
}

/**
 * The window a window's reminder reminds of, while it is open (one of the case's live rows, still
 * pending); undefined once the window closed, fired or went stale, when its reminders are stale.
 * The one rule for firing a reminder (SlaTracker) and a supervisor's redrive (RedriveCaseDeadlines).
 */
export function openWindowOf(windowId: string, live: readonly DeadlineEntity[]): DeadlineEntity | undefined {
  return live.find((deadline) => deadline.id === windowId && deadline.status === 'pending');
}

/**
 * Whether a clock's reminder or breach belongs to the clock's current run: the clock is running,
 * and the alarm was planned when or after it last started. A pause cancels the alarms pending then
 * and the resume plans new ones, but a failed alarm (its job gave up) is not pending: put back
 * after a pause and resume, it would remind or breach on the old run's time beside the new run's
 * own alarm. Every alarm of a run is created at or after the instant the run starts (the same
 * transition's `now`), so this never turns away one of the current run.
 *
 * The one rule for both places that meet such an alarm: firing it (SlaTracker) and a supervisor's
 * redrive, which settles it as stale instead of putting it back (RedriveCaseDeadlines).
 */
export function alarmOfCurrentRun(alarm: Pick<DeadlineEntity, 'createdAt'>, clock: Pick<SlaClockEntity, 'status' | 'runningSince'> | undefined): boolean {
  if (!clock || clock.status !== 'running') return false;
  return !clock.runningSince || alarm.createdAt.getTime() >= clock.runningSince.getTime();
}
