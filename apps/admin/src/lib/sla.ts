/**
 * The SLA badge rule, in one place (documented in the README's "Admin UI" section):
 * - red when the deadline has passed;
 * - amber when less than 4 hours are left, or less than a quarter of the window is left, the
 *   window being measured from when the case last changed (`since`; a deadline is set when the
 *   case enters a state, which changes the case) to the deadline;
 * - green otherwise; grey when there is no deadline.
 * 4 hours is the same "due soon" threshold the supervisor counts use (GET /v1/stats/queues).
 */
export const AMBER_MS = 4 * 3600_000;
export const AMBER_FRACTION = 0.25;

export type SlaLevel = 'none' | 'ok' | 'warning' | 'overdue';

export function slaLevel(dueAt: string | null, now: number, since?: string | null): SlaLevel {
  if (!dueAt) return 'none';
  const due = Date.parse(dueAt);
  const left = due - now;
  if (left <= 0) return 'overdue';
  if (left < AMBER_MS) return 'warning';
  if (since) {
    const window = due - Date.parse(since);
    if (window > 0 && left < window * AMBER_FRACTION) return 'warning';
  }
  return 'ok';
}

/** The two largest units of a duration: 2d 3h, 3h 12m, 12m, 40s. */
export function durationParts(ms: number): Array<['d' | 'h' | 'm' | 's', number]> {
  const total = Math.floor(Math.abs(ms) / 1000);
  const parts: Array<['d' | 'h' | 'm' | 's', number]> = [
    ['d', Math.floor(total / 86400)],
    ['h', Math.floor((total % 86400) / 3600)],
    ['m', Math.floor((total % 3600) / 60)],
    ['s', total % 60],
  ];
  const first = parts.findIndex(([, value]) => value > 0);
  if (first === -1) return [['s', 0]];
  const shown = parts.slice(first, first + 2).filter(([, value], index) => index === 0 || value > 0);
  // Seconds only matter in the last minute.
  return shown[0]![0] === 's' || shown.length === 1 ? shown : shown.filter(([unit]) => unit !== 's');
}
