import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyKind } from '@app/db';

const PREFIX_OF: Record<ApiKeyKind, string> = { secret: 'sk_live_', restricted: 'rk_live_' };
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
export function generateApiKey(kind: ApiKeyKind): GeneratedApiKey {
  const key = `${PREFIX_OF[kind]}${randomBytes(24).toString('base64url')}`;
  return { key, prefix: key.slice(0, VISIBLE_CHARS), hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function looksLikeApiKey(value: string): boolean {
  return /^(sk|rk)_live_[A-Za-z0-9_-]{32}$/.test(value);
}
