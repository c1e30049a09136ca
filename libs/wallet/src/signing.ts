import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signing of every request between the engine and the wallet, both ways (contract §Signing):
 * `X-Wallet-Timestamp` (unix seconds) and `X-Wallet-Signature: v1=<hex HMAC-SHA256>` over
 * `timestamp.METHOD.path?query.rawBody`. Method and path are signed too, so a signed GET cannot
 * be replayed against another resource.
 */
export const WALLET_TIMESTAMP_HEADER = 'x-wallet-timestamp';
export const WALLET_SIGNATURE_HEADER = 'x-wallet-signature';
/** A signature older or newer than this is refused (replays, skewed clocks). */
export const WALLET_SIGNATURE_TOLERANCE_SECONDS = 300;

export interface SignedRequestParts {
  method: string;
  /** Path with its query string, exactly as sent, e.g. `/v1/refunds?created_from=…`. */
  pathWithQuery: string;
  /** The raw body as sent ('' for none). */
  body: string;
}

export function signWalletRequest(secret: string, parts: SignedRequestParts, now: Date): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000).toString();
  return {
    [WALLET_TIMESTAMP_HEADER]: timestamp,
    [WALLET_SIGNATURE_HEADER]: `v1=${hmac(secret, timestamp, parts)}`,
  };
}

export type WalletSignatureCheck = { ok: true } | { ok: false; code: 'INVALID_SIGNATURE' | 'STALE_SIGNATURE'; message: string };

/** Checks a signed request; secrets may list several (rotation): any one of them may have signed. */
export function verifyWalletRequest(
  secrets: readonly string[],
  headers: { timestamp: string | undefined; signature: string | undefined },
  parts: SignedRequestParts,
  now: Date,
): WalletSignatureCheck {
  const { timestamp, signature } = headers;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signature) {
    return { ok: false, code: 'INVALID_SIGNATURE', message: 'X-Wallet-Timestamp and X-Wallet-Signature are required.' };
  }
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > WALLET_SIGNATURE_TOLERANCE_SECONDS) {
    return { ok: false, code: 'STALE_SIGNATURE', message: `The signature's timestamp is more than ${WALLET_SIGNATURE_TOLERANCE_SECONDS} s off.` };
  }
  const given = Buffer.from(signature.replace(/^v1=/, ''), 'utf8');
  const matches = secrets.some((secret) => {
    const expected = Buffer.from(hmac(secret, timestamp, parts), 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  return matches ? { ok: true } : { ok: false, code: 'INVALID_SIGNATURE', message: 'The signature does not match.' };
}

function hmac(secret: string, timestamp: string, parts: SignedRequestParts): string {
  return createHmac('sha256', secret).update(`${timestamp}.${parts.method.toUpperCase()}.${parts.pathWithQuery}.${parts.body}`).digest('hex');
}
