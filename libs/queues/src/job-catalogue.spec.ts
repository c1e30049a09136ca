import { isFinalFailure } from './job-catalogue';

describe('isFinalFailure: whether a failed event is BullMQ giving up on the job', () => {
  it('is not final while attempts are left and BullMQ did not finish the job', () => {
    expect(isFinalFailure({ attemptsMade: 3, opts: { attempts: 12 } })).toBe(false);
  });

  it('is final when the attempts are used up', () => {
    expect(isFinalFailure({ attemptsMade: 12, opts: { attempts: 12 } })).toBe(true);
    expect(isFinalFailure({ attemptsMade: 1, opts: {} })).toBe(true);
  });

  it('is final when BullMQ finished the job early: an UnrecoverableError, or a job that stalled too often', () => {
    expect(isFinalFailure({ attemptsMade: 1, finishedOn: Date.now(), opts: { attempts: 12 } })).toBe(true);
  });
});
