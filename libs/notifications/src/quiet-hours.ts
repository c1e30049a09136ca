/** Beijing has no daylight saving: UTC+8 all year. */
const BEIJING_OFFSET_MS = 8 * 3600_000;
const QUIET_FROM_HOUR = 22;
const QUIET_UNTIL_HOUR = 8;

/**
 * SMS quiet hours: none from 22:00 to 08:00 Beijing time. Returns when an SMS asked for at `now`
 * may go out: null for at once, else the next 08:00 in Beijing.
 */
export function smsNotBefore(now: Date): Date | null {
  const beijing = new Date(now.getTime() + BEIJING_OFFSET_MS);
  const hour = beijing.getUTCHours();
  if (hour >= QUIET_UNTIL_HOUR && hour < QUIET_FROM_HOUR) return null;
  const morning = Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth(), beijing.getUTCDate() + (hour >= QUIET_FROM_HOUR ? 1 : 0), QUIET_UNTIL_HOUR);
  return new Date(morning - BEIJING_OFFSET_MS);
}
