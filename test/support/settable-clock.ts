import { Clock } from '@app/config';

/** The wall clock shifted by an offset a test sets: time still runs, so deadlines and jobs stay in step. */
export class SettableClock extends Clock {
  offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Shifts the clock so that it reads `at` now. */
  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }
}

/** The next instant at this hour and minute of Beijing time (UTC+8), from `from`. */
export function nextBeijingTime(from: Date, hour: number, minute = 0): Date {
  const beijing = new Date(from.getTime() + 8 * 3600_000);
  let candidate = Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth(), beijing.getUTCDate(), hour, minute) - 8 * 3600_000;
  if (candidate <= from.getTime()) candidate += 24 * 3600_000;
  return new Date(candidate);
}
