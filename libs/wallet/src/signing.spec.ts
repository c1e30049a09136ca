import { signWalletRequest, verifyWalletRequest, WALLET_SIGNATURE_HEADER, WALLET_TIMESTAMP_HEADER } from './signing';

describe('wallet request signing', () => {
  const parts = { method: 'POST', pathWithQuery: '/v1/wallet/events', body: '{"id":"wev_1"}' };
  const at = new Date('2026-12-03T10:00:00Z');
  const headersOf = (signed: Record<string, string>) => ({ timestamp: signed[WALLET_TIMESTAMP_HEADER], signature: signed[WALLET_SIGNATURE_HEADER] });

  it('verifies with any of the listed secrets (rotation), and with no other', () => {
    const signed = headersOf(signWalletRequest('old-callback-secret', parts, at));
    expect(verifyWalletRequest(['new-callback-secret', 'old-callback-secret'], signed, parts, at)).toEqual({ ok: true });
    expect(verifyWalletRequest(['new-callback-secret'], signed, parts, at)).toMatchObject({ ok: false, code: 'INVALID_SIGNATURE' });
  });

  it('binds the body, the method and the path', () => {
    const signed = headersOf(signWalletRequest('secret', parts, at));
    for (const other of [
      { ...parts, body: '{"id":"wev_2"}' },
      { ...parts, method: 'PUT' },
      { ...parts, pathWithQuery: '/v1/wallet/events?x=1' },
    ]) {
      expect(verifyWalletRequest(['secret'], signed, other, at)).toMatchObject({ ok: false, code: 'INVALID_SIGNATURE' });
    }
  });

  it('refuses a timestamp more than 300 s off either way, and missing headers', () => {
    const signed = headersOf(signWalletRequest('secret', parts, at));
    expect(verifyWalletRequest(['secret'], signed, parts, new Date(at.getTime() + 299_000))).toEqual({ ok: true });
    expect(verifyWalletRequest(['secret'], signed, parts, new Date(at.getTime() + 301_000))).toMatchObject({ ok: false, code: 'STALE_SIGNATURE' });
    expect(verifyWalletRequest(['secret'], signed, parts, new Date(at.getTime() - 301_000))).toMatchObject({ ok: false, code: 'STALE_SIGNATURE' });
    expect(verifyWalletRequest(['secret'], { timestamp: undefined, signature: signed.signature }, parts, at)).toMatchObject({ ok: false, code: 'INVALID_SIGNATURE' });
  });
});
