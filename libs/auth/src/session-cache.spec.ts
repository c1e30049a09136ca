import { SessionCache, type CachedSession } from './session-cache';

const session = (agentId: string, sessionId = `s-${agentId}`): CachedSession => ({ sessionId, agent: { id: agentId }, expiresAt: 10_000, lastSeenAt: 0 });

describe('SessionCache', () => {
  let now: number;
  const cacheOf = (ttlMs = 5000, maxEntries = 100) => new SessionCache(ttlMs, maxEntries, () => now);
  beforeEach(() => (now = 1000));

  it('answers a stored session until its time in the cache is up', () => {
    const cache = cacheOf();
    expect(cache.store('t1', session('a1'), cache.mark())).toBe(true);
    now += 4999;
    expect(cache.get('t1')?.sessionId).toBe('s-a1');
    now += 1;
    expect(cache.get('t1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('stores nothing when turned off (0 ms)', () => {
    const cache = cacheOf(0);
    expect(cache.enabled).toBe(false);
    expect(cache.store('t1', session('a1'), cache.mark())).toBe(false);
    expect(cache.get('t1')).toBeUndefined();
  });

  it('drops one token, or every token of an agent', () => {
    const cache = cacheOf();
    cache.store('t1', session('a1', 's1'), cache.mark());
    cache.store('t2', session('a1', 's2'), cache.mark());
    cache.store('t3', session('a2'), cache.mark());
    cache.dropToken('t3');
    expect(cache.get('t3')).toBeUndefined();
    expect(cache.get('t1')).toBeDefined();
    cache.dropAgent('a1');
    expect([cache.get('t1'), cache.get('t2')]).toEqual([undefined, undefined]);
    expect(cache.size).toBe(0);
  });

  it('refuses an answer read before an invalidation arrived (it may predate the change)', () => {
    const cache = cacheOf();
    for (const invalidate of [() => cache.dropToken('other'), () => cache.dropAgent('other'), () => cache.clear()]) {
      const mark = cache.mark();
      invalidate();
      expect(cache.store('t1', session('a1'), mark)).toBe(false);
      expect(cache.get('t1')).toBeUndefined();
    }
  });

  it('keeps at most its bound, dropping the least recently used', () => {
    const cache = cacheOf(5000, 2);
    cache.store('t1', session('a1'), cache.mark());
    cache.store('t2', session('a2'), cache.mark());
    expect(cache.get('t1')).toBeDefined(); // t2 is now the least recently used
    cache.store('t3', session('a3'), cache.mark());
    expect(cache.size).toBe(2);
    expect(cache.get('t2')).toBeUndefined();
    expect(cache.get('t1')).toBeDefined();
    expect(cache.get('t3')).toBeDefined();
  });

  it('clear empties it', () => {
    const cache = cacheOf();
    cache.store('t1', session('a1'), cache.mark());
    cache.clear();
    expect(cache.get('t1')).toBeUndefined();
  });
});
