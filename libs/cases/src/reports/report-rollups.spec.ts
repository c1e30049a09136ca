import { HISTOGRAM_RELATIVE_ERROR, bucketMinutes, bucketOf } from './report-rollups';

describe('response-time histogram buckets', () => {
  it('reads every whole minute up to 20 exactly', () => {
    for (let minutes = 0; minutes <= 20; minutes += 1) expect(bucketMinutes(bucketOf(minutes))).toBe(minutes);
  });

  it('reads any duration back within the stated relative error (and a tenth of a minute of rounding)', () => {
    let worst = 0;
    for (let minutes = 21; minutes <= 200_000; minutes += minutes < 2000 ? 1 : 97) {
      const error = Math.abs(bucketMinutes(bucketOf(minutes)) - minutes) / minutes;
      worst = Math.max(worst, error);
    }
    expect(worst).toBeLessThanOrEqual(HISTOGRAM_RELATIVE_ERROR);
    // The buckets are not needlessly fine either: the bound is nearly reached.
    expect(worst).toBeGreaterThan(0.02);
  });

  it('rounds a duration to the minute first, as the exact report does', () => {
    expect(bucketOf(19.4)).toBe(19);
    expect(bucketOf(0.2)).toBe(0);
    expect(bucketOf(1000.4)).toBe(bucketOf(1000));
  });
});
