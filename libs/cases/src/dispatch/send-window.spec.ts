import { SendWindow } from './send-window';

/** A turn of the real event loop (the fake timers do not fake node:timers' own functions). */
const everythingSettled = () => new Promise<void>((resolve) => jest.requireActual<typeof import('node:timers')>('node:timers').setImmediate(resolve));

describe('SendWindow: at most one send per window, carrying what arrived meanwhile', () => {
  let now: number;
  let sent: string[][];
  const windowOf = (windowMs: number, maxItems = 10) =>
    new SendWindow<string>(
      windowMs,
      maxItems,
      async (items) => {
        sent.push(items);
      },
      () => now,
    );
  const advance = (ms: number) => {
    now += ms;
    jest.advanceTimersByTime(ms);
  };

  beforeEach(() => {
    jest.useFakeTimers();
    now = 1_000;
    sent = [];
  });
  afterEach(() => jest.useRealTimers());

  it('sends what arrives after a quiet spell at once, and the offer is its send', async () => {
    const window = windowOf(25);
    await window.offer(['a', 'b']);
    expect(sent).toEqual([['a', 'b']]);
    advance(25);
    await window.offer(['c']);
    expect(sent).toEqual([['a', 'b'], ['c']]);
  });

  it('holds what arrives within the window and sends it all together at the window’s end', async () => {
    const window = windowOf(25);
    await window.offer(['a']);
    advance(5);
    // Nothing to wait for: the caller answers at once.
    expect(window.offer(['b'])).toBeUndefined();
    advance(10);
    expect(window.offer(['c', 'd'])).toBeUndefined();
    expect(sent).toEqual([['a']]);
    expect(window.waitingCount).toBe(3);
    advance(9);
    expect(sent).toEqual([['a']]);
    advance(1);
    expect(sent).toEqual([['a'], ['b', 'c', 'd']]);
    expect(window.waitingCount).toBe(0);
  });

  it('under steady arrivals sends once per window, never sooner', async () => {
    const window = windowOf(20);
    for (let ms = 0; ms < 100; ms += 4) {
      await window.offer([`at ${ms}`]);
      advance(4);
    }
    // The first at once; then one send at the end of each 20 ms window (at 20: what came at 4 to
    // 16; at 40, 60, 80 and 100: the five that came in the window before).
    expect(sent.map((items) => items.length)).toEqual([1, 4, 5, 5, 5, 5]);
  });

  it('does not wait for the window once maxItems are waiting', async () => {
    const window = windowOf(25, 3);
    await window.offer(['a']);
    await window.offer(['b', 'c']);
    expect(sent).toEqual([['a']]);
    await window.offer(['d']);
    expect(sent).toEqual([['a'], ['b', 'c', 'd']]);
    // A new window starts with that send.
    await window.offer(['e']);
    advance(24);
    expect(sent).toHaveLength(2);
    advance(1);
    expect(sent).toEqual([['a'], ['b', 'c', 'd'], ['e']]);
  });

  it('with no window sends every offer at once', async () => {
    const window = windowOf(0);
    await window.offer(['a']);
    await window.offer(['b']);
    expect(sent).toEqual([['a'], ['b']]);
  });

  it('close sends what waits at once, then sends every later offer at once, and waits for sends under way', async () => {
    let finishSlowSend: () => void = () => undefined;
    const slow = new SendWindow<string>(
      25,
      10,
      (items) => {
        sent.push(items);
        return items.includes('slow') ? new Promise<void>((resolve) => (finishSlowSend = resolve)) : Promise.resolve();
      },
      () => now,
    );
    void slow.offer(['slow']);
    await slow.offer(['waiting']);
    let closed = false;
    const closing = slow.close().then(() => (closed = true));
    expect(sent).toEqual([['slow'], ['waiting']]);
    // Every promise callback that can run without the slow send has run.
    await everythingSettled();
    expect(closed).toBe(false);
    finishSlowSend();
    await closing;
    expect(closed).toBe(true);
    await slow.offer(['late']);
    expect(sent).toEqual([['slow'], ['waiting'], ['late']]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a failed send does not stop later ones', async () => {
    const failing = new SendWindow<string>(
      25,
      10,
      async (items) => {
        sent.push(items);
        if (items.includes('bad')) throw new Error('Redis said no');
      },
      () => now,
    );
    await expect(failing.offer(['bad'])).rejects.toThrow('Redis said no');
    await failing.offer(['held']);
    advance(25);
    expect(sent).toEqual([['bad'], ['held']]);
    await failing.close();
  });
});
