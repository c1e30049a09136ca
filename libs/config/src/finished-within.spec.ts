import { finishedWithin } from './finished-within';

describe('finishedWithin', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('is true for work that finishes in time, false once the time runs out first, and lets a rejection through', async () => {
    await expect(finishedWithin(Promise.resolve('done'), 1000)).resolves.toBe(true);

    const late = finishedWithin(new Promise(() => undefined), 1000);
    jest.advanceTimersByTime(1000);
    await expect(late).resolves.toBe(false);

    await expect(finishedWithin(Promise.reject(new Error('refused')), 1000)).rejects.toThrow('refused');
    expect(jest.getTimerCount()).toBe(0); // every timer cleared
  });
});
