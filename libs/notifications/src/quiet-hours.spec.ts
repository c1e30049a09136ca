import { smsNotBefore } from './quiet-hours';

describe('SMS quiet hours (22:00–08:00 Beijing time)', () => {
  it.each([
    ['2026-12-03T00:00:00Z', null], // 08:00 Beijing: allowed
    ['2026-12-03T13:59:59Z', null], // 21:59:59 Beijing
    ['2026-12-03T14:00:00Z', '2026-12-04T00:00:00.000Z'], // 22:00 Beijing → 08:00 next morning
    ['2026-12-03T15:30:00Z', '2026-12-04T00:00:00.000Z'], // 23:30 Beijing
    ['2026-12-03T17:00:00Z', '2026-12-04T00:00:00.000Z'], // 01:00 Beijing (already the next day there)
    ['2026-12-31T23:59:00Z', '2027-01-01T00:00:00.000Z'], // 07:59 Beijing on New Year's Day
  ])('at %s an SMS may go out at %s', (now, expected) => {
    expect(smsNotBefore(new Date(now))?.toISOString() ?? null).toBe(expected);
  });
});
