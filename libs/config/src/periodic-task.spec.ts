import { Logger } from '@nestjs/common';
import { PeriodicTask } from './periodic-task';

describe('PeriodicTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** A pass the test finishes by hand. */
  const controllablePass = () => {
    const finishers: Array<(error?: Error) => void> = [];
    const pass = jest.fn(() => new Promise<void>((resolve, reject) => finishers.push((error) => (error ? reject(error) : resolve()))));
    return { pass, finish: (error?: Error) => finishers.shift()!(error) };
  };
  const settle = () => new Promise((resolve) => jest.requireActual<typeof import('timers')>('timers').setImmediate(resolve));

  it('runs every interval, skipping ticks while a pass is still running', async () => {
    const { pass, finish } = controllablePass();
    const task = new PeriodicTask(pass, jest.fn(), 'test pass');
    task.start(1000);
    expect(pass).toHaveBeenCalledTimes(0);
    jest.advanceTimersByTime(1000);
    expect(pass).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(3000); // the first pass is still going: no second one on top
    expect(pass).toHaveBeenCalledTimes(1);
    finish();
    await settle();
    jest.advanceTimersByTime(1000);
    expect(pass).toHaveBeenCalledTimes(2);
    finish();
    await task.stop();
  });

  it('runs at once when asked, reports a failed pass and tries again on the next tick', async () => {
    const { pass, finish } = controllablePass();
    const onError = jest.fn();
    const task = new PeriodicTask(pass, onError, 'test pass');
    task.start(1000, { immediately: true });
    expect(pass).toHaveBeenCalledTimes(1);
    finish(new Error('database down'));
    await settle();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'database down' }));
    jest.advanceTimersByTime(1000);
    expect(pass).toHaveBeenCalledTimes(2);
    finish();
    await task.stop();
  });

  it('stop() waits for the pass in flight and no pass starts afterwards', async () => {
    const { pass, finish } = controllablePass();
    const task = new PeriodicTask(pass, jest.fn(), 'test pass');
    task.start(1000, { immediately: true });
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
    jest.advanceTimersByTime(5000);
    expect(pass).toHaveBeenCalledTimes(1);
  });

  it('stop() gives up on a pass still running after the wait it was given, says so, and nothing starts afterwards', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const { pass, finish } = controllablePass();
      const task = new PeriodicTask(pass, jest.fn(), 'test pass');
      task.start(1000, { immediately: true });
      let stopped = false;
      const stopping = task.stop(3000).then(() => (stopped = true));
      jest.advanceTimersByTime(2999);
      await settle();
      expect(stopped).toBe(false);
      jest.advanceTimersByTime(1);
      await stopping;
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^test pass still running after 3000 ms at shutdown: not waited for/));
      jest.advanceTimersByTime(5000);
      expect(pass).toHaveBeenCalledTimes(1);
      finish(); // the abandoned pass ending late changes nothing
      await settle();
      warn.mockClear();
      await task.stop(3000);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
