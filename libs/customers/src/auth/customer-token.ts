import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError, DomainErrorCode } from '@app/domain';

/** The audience every customer token names: a token minted for another service is refused here. */
export const CUSTOMER_TOKEN_AUDIENCE = 'dispute-engine/customer';
/** The longest lifetime accepted: a leaked token is useful for minutes, not hours. */
export const MAX_CUSTOMER_TOKEN_SECONDS = 15 * 60;
/** Clock skew tolerated between the wallet backend and us. */
const LEEWAY_SECONDS = 30;
const HEADER = { alg: 'HS256', typ: 'JWT' } as const;
const MAX_SUBJECT_LENGTH = 128;

export interface CustomerTokenClaims {
  sub: string;
  aud: typeof CUSTOMER_TOKEN_AUDIENCE;
  iat: number;
  exp: number;
}

export interface VerifiedCustomer {
  customerId: string;
  expiresAt: Date;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const sign = (secret: string, input: string) => createHmac('sha256', secret).update(input).digest();

/**
 * What the wallet backend does for each signed-in customer: a compact HS256 JWS over
 * `{sub, aud, iat, exp}` signed with the shared secret (the newest of CUSTOMER_TOKEN_SECRETS).
 * Lifetimes above 15 minutes are refused here as they are by the verifier.
 */
export function mintCustomerToken(secret: string, customerId: string, options: { now?: Date; ttlSeconds?: number } = {}): string {
  const ttl = options.ttlSeconds ?? 300;
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_CUSTOMER_TOKEN_SECONDS) {
    throw new RangeError(`A customer token lives 1 to ${MAX_CUSTOMER_TOKEN_SECONDS} seconds, not ${ttl}`);
  }
  if (customerId.length === 0 || customerId.length > MAX_SUBJECT_LENGTH) throw new RangeError('customerId must be 1 to 128 characters');
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const claims: CustomerTokenClaims = { sub: customerId, aud: CUSTOMER_TOKEN_AUDIENCE, iat, exp: iat + ttl };
  const input = `${base64url(JSON.stringify(HEADER))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${base64url(sign(secret, input))}`;
}

const invalid = (why: string) =>
  new DomainError(DomainErrorCode.CustomerTokenInvalid, `The customer token is not valid (${why}); send "Authorization: Bearer <token minted by the wallet backend>".`);

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Checks a customer token against every secret of the rotation list (constant-time), then its
 * claims. Only HS256 is accepted (never `none` or another algorithm the token names), the audience
 * must be ours, and the lifetime at most 15 minutes. Expired → CUSTOMER_TOKEN_EXPIRED; anything
 * else wrong → CUSTOMER_TOKEN_INVALID.
 */
export function verifyCustomerToken(token: string, secrets: readonly string[], now: Date): VerifiedCustomer {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) throw invalid('not a compact JWS');
  const [headerPart, claimsPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart) as { alg?: unknown; typ?: unknown; crit?: unknown } | undefined;
  if (!header || typeof header !== 'object' || header.alg !== 'HS256' || header.crit !== undefined) throw invalid('only HS256 is accepted');

  const signature = Buffer.from(signaturePart, 'base64url');
  const input = `${headerPart}.${claimsPart}`;
  const signed = secrets.some((secret) => {
    const expected = sign(secret, input);
    return expected.length === signature.length && timingSafeEqual(expected, signature);
  });
  if (!signed) throw invalid('bad signature');

  const claims = decodeJson(claimsPart) as Partial<Record<keyof CustomerTokenClaims, unknown>> | undefined;
  if (!claims || typeof claims !== 'object') throw invalid('unreadable claims');
  const { sub, aud, iat, exp } = claims;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_SUBJECT_LENGTH) throw invalid('sub must name the customer');
  if (aud !== CUSTOMER_TOKEN_AUDIENCE) throw invalid(`aud must be "${CUSTOMER_TOKEN_AUDIENCE}"`);
  if (!Number.isSafeInteger(iat) || !Number.isSafeInteger(exp)) throw invalid('iat and exp must be whole seconds');
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if ((exp as number) - (iat as number) > MAX_CUSTOMER_TOKEN_SECONDS || (exp as number) <= (iat as number)) {
    throw invalid(`a token may live at most ${MAX_CUSTOMER_TOKEN_SECONDS} seconds`);
  }
  if ((iat as number) > nowSeconds + LEEWAY_SECONDS) throw invalid('issued in the future');
  if ((exp as number) <= nowSeconds - LEEWAY_SECONDS) {
    throw new DomainError(DomainErrorCode.CustomerTokenExpired, 'The customer token has expired; ask the wallet backend for a fresh one.', {
      expiredAt: new Date((exp as number) * 1000).toISOString(),
    });
  }
  return { customerId: sub, expiresAt: new Date((exp as number) * 1000) };
}
