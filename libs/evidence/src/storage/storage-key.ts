import { randomUUID } from 'node:crypto';

/** `YYYY-MM/<uuid>`: the month spreads files over folders (local disk) and prefixes (buckets). */
export function newStorageKey(now: Date): string {
  return `${now.toISOString().slice(0, 7)}/${randomUUID()}`;
}

const ENGINE_KEY = /^\d{4}-\d{2}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Whether a key has the shape this engine gives its files. The orphan sweep deletes only such
 * keys, so anything else that shares the folder or bucket is never touched.
 */
export function isEngineStorageKey(key: string): boolean {
  return ENGINE_KEY.test(key);
}
