import { createHmac } from 'node:crypto';
import { DomainErrorCode } from '@app/domain';
import { CUSTOMER_TOKEN_AUDIENCE, mintCustomerToken, verifyCustomerToken } from './customer-token';

const SECRET = 'wallet-backend-shared-secret-0123456789';
const OLD_SECRET = 'the-secret-before-rotation-0123456789ab';
const NOW = new Date('2026-12-03T10:00:00Z');

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

/** A token built by hand, as a third-party JWT library (or an attacker) would. */
function handMade(header: object, claims: object, secret = SECRET): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

describe('customer tokens', () => {
  const iat = Math.floor(NOW.getTime() / 1000);

  it('a minted token verifies and names the customer, also under an older secret of the rotation list', () => {
    const token = mintCustomerToken(SECRET, 'u_42', { now: NOW, ttlSeconds: 600 });
    expect(verifyCustomerToken(token, [SECRET], NOW)).toEqual({ customerId: 'u_42', expiresAt: new Date(NOW.getTime() + 600_000) });
    const signedWithOld = mintCustomerToken(OLD_SECRET, 'u_42', { now: NOW });
    expect(verifyCustomerToken(signedWithOld, [SECRET, OLD_SECRET], NOW).customerId).toBe('u_42');
    expect(codeOf(() => verifyCustomerToken(signedWithOld, [SECRET], NOW))).toBe(DomainErrorCode.CustomerTokenInvalid);
  });

  it('is a standard compact HS256 JWS over sub, aud, iat, exp', () => {
    const token = mintCustomerToken(SECRET, 'u_42', { now: NOW, ttlSeconds: 300 });
    const [header, claims] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(claims).toEqual({ sub: 'u_42', aud: CUSTOMER_TOKEN_AUDIENCE, iat, exp: iat + 300 });
    expect(token).toBe(handMade({ alg: 'HS256', typ: 'JWT' }, { sub: 'u_42', aud: CUSTOMER_TOKEN_AUDIENCE, iat, exp: iat + 300 }));
  });

  it('refuses to mint or accept lifetimes over 15 minutes', () => {
    expect(() => mintCustomerToken(SECRET, 'u_1', { ttlSeconds: 901 })).toThrow(RangeError);
    const longLived = handMade({ alg: 'HS256' }, { sub: 'u_1', aud: CUSTOMER_TOKEN_AUDIENCE, iat, exp: iat + 3600 });
    expect(codeOf(() => verifyCustomerToken(longLived, [SECRET], NOW))).toBe(DomainErrorCode.CustomerTokenInvalid);
  });

  it('an expired token is CUSTOMER_TOKEN_EXPIRED; within 30 s of skew it still passes', () => {
    const token = mintCustomerToken(SECRET, 'u_1', { now: NOW, ttlSeconds: 60 });
    expect(verifyCustomerToken(token, [SECRET], new Date(NOW.getTime() + 80_000)).customerId).toBe('u_1');
    expect(codeOf(() => verifyCustomerToken(token, [SECRET], new Date(NOW.getTime() + 91_000)))).toBe(DomainErrorCode.CustomerTokenExpired);
  });

  it.each([
    ['alg none', handMade({ alg: 'none' }, { sub: 'u_1', aud: CUSTOMER_TOKEN_AUDIENCE, iat, exp: iat + 60 }).replace(/[^.]+$/, 'AA')],
    ['another algorithm', handMade({ alg: 'HS512' }, { sub: 'u_1', aud: CUSTOMER_TOKEN_AUDIENCE, iat, exp: iat + 60 })],
    ['another audience', handMade({ alg: 'HS256' }, { sub: 'u_1', aud: 'wallet/internal', iat, exp: iat + 60 })],
    ['no subject', handMade({ alg: 'HS256' }, { aud: CUSTOMER_TOKEN_AUDIENCE, iat, exp: iat + 60 })],
    ['issued in the future', handMade({ alg: 'HS256' }, { sub: 'u_1', aud: CUSTOMER_TOKEN_AUDIENCE, iat: iat + 600, exp: iat + 660 })],
    ['wrong secret', handMade({ alg: 'HS256' }, { sub: 'u_1', aud: CUSTOMER_TOKEN_AUDIENCE, iat, exp: iat + 60 }, 'someone-elses-secret-0123456789abcdef')],
    [
      'tampered claims',
      mintCustomerToken(SECRET, 'u_1', { now: NOW }).replace(
        /\.[^.]+\./,
        `.${Buffer.from(JSON.stringify({ sub: 'u_2', aud: CUSTOMER_TOKEN_AUDIENCE, iat, exp: iat + 60 })).toString('base64url')}.`,
      ),
    ],
    ['not a JWS', 'sk_live_abcdef'],
    ['an empty signature', 'a.b.'],
  ])('refuses %s as CUSTOMER_TOKEN_INVALID', (_name, token) => {
    expect(codeOf(() => verifyCustomerToken(token, [SECRET], NOW))).toBe(DomainErrorCode.CustomerTokenInvalid);
  });
});
