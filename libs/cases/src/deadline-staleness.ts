import type { DeadlineEntity, SlaClockEntity } from '@app/db';
import type { MachineEvent } from '@app/domain';
import { alarmOfCurrentRun, openWindowOf, windowIdOf } from '@app/sla';

/**
 * Whether the case has set the same timer again since this deadline was planned: it left the
 * state and came back, and the new stay's row (same send id, created later) is pending. The
 * machine cannot tell the two apart (its event is the same and the state listens for it), so this
 * row, failed in the earlier stay and put back, would end the new stay on the old stay's time: a
 * customer asked again would lose the dispute for not answering the first time. Firing settles
 * such a row as stale (FireDeadline), and so does a redrive rather than put it back.
 */
export function supersededBySameTimer(deadline: DeadlineEntity, live: readonly DeadlineEntity[]): boolean {
  return live.some(
    (other) =>
      other.id !== deadline.id &&
      other.kind === 'machine' &&
      other.status === 'pending' &&
      other.sendId === deadline.sendId &&
      other.createdAt.getTime() > deadline.createdAt.getTime(),
  );
}

/**
 * Whether a newer row of the same timer failed too and goes back with this redrive (the case set
 * the timer again and both stays' jobs gave up): only the newest stay's row is the case's timer.
 */
function newerPutBack(deadline: DeadlineEntity, failed: readonly DeadlineEntity[], listensFor: (event: MachineEvent) => boolean): boolean {
  return failed.some(
    (other) =>
      other.id !== deadline.id &&
      other.kind === 'machine' &&
      other.sendId === deadline.sendId &&
      other.createdAt.getTime() > deadline.createdAt.getTime() &&
      listensFor(other.event),
  );
}

/** A redrive's decision on a case's failed deadlines. */
export interface FailedDeadlineVerdicts {
  /** Back to pending and on BullMQ: the case still waits for them. */
  putBack: DeadlineEntity[];
  /** Settled as stale: the case has moved past them. */
  stale: DeadlineEntity[];
}

/**
 * Which of a case's failed deadlines a redrive puts back and which it settles as stale, with the
 * case locked: the rules that firing applies (so that a row put back never waits pending for a
 * firing that would only settle it, while a merchant's answer is refused for its old due time):
 *   - a machine timer the case no longer listens for (it left the state), or has set again since
 *     (supersededBySameTimer, or a newer row of it failed too and goes back now);
 *   - an SLA alarm of a clock that has stopped or paused since it was planned (alarmOfCurrentRun:
 *     a clock that runs again has alarms of its own);
 *   - the reminder of a window that is neither open (pending) nor put back by this redrive.
 */
export function judgeFailedDeadlines(
  failed: readonly DeadlineEntity[],
  theCase: { live: readonly DeadlineEntity[]; clocks: readonly SlaClockEntity[]; listensFor: (event: MachineEvent) => boolean },
): FailedDeadlineVerdicts {
  const stale = new Set(
    failed
      .filter((deadline) => {
        if (deadline.kind === 'machine')
          return !theCase.listensFor(deadline.event) || supersededBySameTimer(deadline, theCase.live) || newerPutBack(deadline, failed, theCase.listensFor);
        if (!deadline.slaClockId) return false;
        return !alarmOfCurrentRun(
          deadline,
          theCase.clocks.find((clock) => clock.id === deadline.slaClockId),
        );
      })
      .map((deadline) => deadline.id),
  );
  // The windows are machine timers, decided above; their reminders go with them.
  const putBackWindows = new Set(failed.filter((deadline) => deadline.kind === 'machine' && !stale.has(deadline.id)).map((deadline) => deadline.id));
  for (const reminder of failed) {
    const windowId = windowIdOf(reminder);
    if (windowId === undefined) continue;
    if (!openWindowOf(windowId, theCase.live) && !putBackWindows.has(windowId)) stale.add(reminder.id);
  }
  return { putBack: failed.filter((deadline) => !stale.has(deadline.id)), stale: failed.filter((deadline) => stale.has(deadline.id)) };
}
