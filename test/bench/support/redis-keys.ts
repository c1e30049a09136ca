import type Redis from 'ioredis';

/**
 * Key-level helpers for benchmarks that share a Redis with other tests: everything goes through
 * SCAN … MATCH on the benchmark's own prefix (never KEYS, never FLUSHALL/FLUSHDB).
 */

/** Calls `onKeys` with every batch of keys matching `pattern`; a key may repeat across batches (SCAN's contract). */
export async function scanKeys(redis: Redis, pattern: string, onKeys: (keys: string[]) => Promise<void>): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length) await onKeys(keys);
    cursor = next;
  } while (cursor !== '0');
}

/** UNLINKs every key matching `pattern`; returns how many were removed. */
export async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  let removed = 0;
  await scanKeys(redis, pattern, async (keys) => {
    removed += await redis.unlink(...keys);
  });
  return removed;
}

export interface KeyMemory {
  keys: number;
  /** Sum of `MEMORY USAGE key SAMPLES 0` (exact: every element of a collection is counted). */
  bytes: number;
  /** Bytes per group of keys, when a classifier was given (e.g. job hashes vs the delayed set). */
  byGroup: Record<string, { keys: number; bytes: number }>;
}

/**
 * What the keys matching `pattern` occupy, as Redis itself accounts them: MEMORY USAGE includes
 * the value, the key name and its dictionary entry, so the sum is what these keys cost the server
 * (allocator rounding included), independent of anything else other tests keep in the same Redis.
 */
export async function memoryOf(redis: Redis, pattern: string, classify: (key: string) => string = () => 'all'): Promise<KeyMemory> {
  const seen = new Set<string>();
  let bytes = 0;
  const byGroup: KeyMemory['byGroup'] = {};
  await scanKeys(redis, pattern, async (keys) => {
    const fresh = keys.filter((key) => !seen.has(key));
    for (const key of fresh) seen.add(key);
    if (fresh.length === 0) return;
    const pipeline = redis.pipeline();
    for (const key of fresh) pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
    const results = (await pipeline.exec()) ?? [];
    results.forEach(([error, usage], index) => {
      // A key that expired or was removed between SCAN and MEMORY USAGE answers null.
      if (error || typeof usage !== 'number') return;
      bytes += usage;
      const group = (byGroup[classify(fresh[index]!)] ??= { keys: 0, bytes: 0 });
      group.keys += 1;
      group.bytes += usage;
    });
  });
  return { keys: seen.size, bytes, byGroup };
}

/** `used_memory` from INFO memory: server-wide, so other clients' activity shows up in it. */
export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const match = /^used_memory:(\d+)/m.exec(info);
  return match ? Number(match[1]) : NaN;
}
