import { createHash, randomBytes } from 'node:crypto';

export function newId(prefix: 'rf' | 'act' | 'ntf' | 'wev' | 'le'): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

/** What an idempotency key promises: a key reused with a different request is refused. */
export function fingerprint(request: Record<string, unknown>): string {
  const sorted = Object.fromEntries(Object.entries(request).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}
