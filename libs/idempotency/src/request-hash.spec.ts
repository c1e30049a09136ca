import { canonicalJson, requestHash } from './request-hash';

describe('idempotency request hash', () => {
  const base = { method: 'POST', path: '/v1/merchant/disputes/d1/accept', body: { a: 1, b: { c: [1, 2], d: 'x' } } };

  it('is the same for the same request, whatever the key order', () => {
    expect(requestHash(base)).toBe(requestHash({ ...base, body: { b: { d: 'x', c: [1, 2] }, a: 1 } }));
    expect(requestHash(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('treats an absent body and an empty object alike', () => {
    expect(requestHash({ ...base, body: undefined })).toBe(requestHash({ ...base, body: {} }));
    expect(requestHash({ ...base, body: null })).toBe(requestHash({ ...base, body: {} }));
  });

  it('differs when the body, the path or the method differs', () => {
    const hash = requestHash(base);
    expect(requestHash({ ...base, body: { ...base.body, a: 2 } })).not.toBe(hash);
    expect(requestHash({ ...base, body: { ...base.body, b: { c: [2, 1], d: 'x' } } })).not.toBe(hash);
    expect(requestHash({ ...base, body: { ...base.body, a: '1' } })).not.toBe(hash);
    expect(requestHash({ ...base, path: '/v1/merchant/disputes/d2/accept' })).not.toBe(hash);
    expect(requestHash({ ...base, method: 'PUT' })).not.toBe(hash);
  });

  it('canonical JSON sorts keys at every level and drops undefined members like JSON does', () => {
    expect(canonicalJson({ z: 1, a: { y: undefined, b: [{ d: 1, c: 2 }] } })).toBe('{"a":{"b":[{"c":2,"d":1}]},"z":1}');
    expect(canonicalJson([undefined, 'x'])).toBe('[null,"x"]');
  });
});
