import { generateWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from './webhook-signer';

describe('Standard Webhooks signatures', () => {
  // The reference vector published with the Standard Webhooks libraries.
  const vector = {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: 1614265330,
    body: '{"test": 2432232314}',
  };

  it('matches the reference signature', () => {
    expect(signWebhook(vector)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifies its own headers within the tolerance, on either side of the clock', () => {
    const headers = webhookHeaders(vector);
    for (const skew of [-299, 0, 299]) {
      expect(verifyWebhook({ headers, body: vector.body, secret: vector.secret, nowSeconds: vector.timestamp + skew })).toEqual({ ok: true });
    }
  });

  it('rejects a timestamp outside the tolerance, even with a valid signature', () => {
    const headers = webhookHeaders(vector);
    for (const skew of [-301, 301, 86_400]) {
      expect(verifyWebhook({ headers, body: vector.body, secret: vector.secret, nowSeconds: vector.timestamp + skew })).toEqual({
        ok: false,
        reason: 'timestamp_outside_tolerance',
      });
    }
  });

  it('rejects a changed body, id, timestamp or secret', () => {
    const headers = webhookHeaders(vector);
    const now = vector.timestamp;
    expect(verifyWebhook({ headers, body: '{"test": 2432232315}', secret: vector.secret, nowSeconds: now }).ok).toBe(false);
    expect(verifyWebhook({ headers: { ...headers, 'webhook-id': 'msg_other' }, body: vector.body, secret: vector.secret, nowSeconds: now }).ok).toBe(false);
    expect(verifyWebhook({ headers: { ...headers, 'webhook-timestamp': String(now + 1) }, body: vector.body, secret: vector.secret, nowSeconds: now }).ok).toBe(false);
    expect(verifyWebhook({ headers, body: vector.body, secret: generateWebhookSecret(), nowSeconds: now }).ok).toBe(false);
    expect(verifyWebhook({ headers: { 'webhook-id': vector.id }, body: vector.body, secret: vector.secret, nowSeconds: now })).toEqual({ ok: false, reason: 'missing_headers' });
  });

  it('accepts any one of several space-separated signatures (secret rotation)', () => {
    const headers = webhookHeaders(vector);
    const rotated = { ...headers, 'webhook-signature': `v1,c29tZXRoaW5nIGVsc2U= ${headers['webhook-signature']}` };
    expect(verifyWebhook({ headers: rotated, body: vector.body, secret: vector.secret, nowSeconds: vector.timestamp })).toEqual({ ok: true });
  });

  it('generates whsec_ secrets of 24 random bytes', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(24);
    expect(generateWebhookSecret()).not.toBe(secret);
  });
});
