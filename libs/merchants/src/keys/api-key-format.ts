import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyKind } from '@app/db';

const KIND_PREFIX: Record<ApiKeyKind, string> = { secret: 'sk', restricted: 'rk' };

/** Stripe's prefixes: `sk_live_`/`rk_live_` for live keys, `sk_test_`/`rk_test_` for test-mode keys. */
function prefixOf(kind: ApiKeyKind, livemode: boolean): string {
  return `${KIND_PREFIX[kind]}_${livemode ? 'live' : 'test'}_`;
}
/** How much of a key stays visible in lists: enough to tell keys apart, far too little to use. */
const VISIBLE_CHARS = 12;

export interface GeneratedApiKey {
  key: string;
  prefix: string;
  hash: string;
}

/**
 * 192 random bits: a key is never guessed, so a fast unsalted SHA-256 is enough to store it
 * (unlike passwords, there is no small space to brute-force).
 */
export function generateApiKey(kind: ApiKeyKind, livemode = true): GeneratedApiKey {
  const key = `${prefixOf(kind, livemode)}${randomBytes(24).toString('base64url')}`;
  return { key, prefix: key.slice(0, VISIBLE_CHARS), hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function looksLikeApiKey(value: string): boolean {
  return /^(sk|rk)_(live|test)_[A-Za-z0-9_-]{32}$/.test(value);
}
