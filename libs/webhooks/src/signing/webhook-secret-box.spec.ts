import { randomBytes } from 'node:crypto';
import { WebhookSecretBox, secretKeyOf } from './webhook-secret-box';

describe('WebhookSecretBox', () => {
  const oldKey = secretKeyOf(randomBytes(32));
  const newKey = secretKeyOf(randomBytes(32));
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const endpoint = '6f1c2a9e-0d4b-4a51-9c51-2f0f3c6f7a10';

  it('seals so that the stored value reveals nothing and opens back to the secret', () => {
    const box = new WebhookSecretBox([newKey]);
    const sealed = box.seal(secret, endpoint);
    expect(sealed.startsWith(`enc1.${newKey.id}.`)).toBe(true);
    expect(sealed).not.toContain(secret.slice('whsec_'.length, 20));
    expect(box.open(sealed, endpoint)).toBe(secret);
    // A fresh IV each time: equal secrets do not look equal at rest.
    expect(box.seal(secret, endpoint)).not.toBe(sealed);
  });

  it('refuses a tampered value, a shortened tag, one sealed with a key it does not hold, and garbage', () => {
    const box = new WebhookSecretBox([newKey]);
    const [format, id, iv, tag, ciphertext] = box.seal(secret, endpoint).split('.');
    const flipped = Buffer.from(ciphertext!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => box.open([format, id, iv, tag, flipped.toString('base64url')].join('.'), endpoint)).toThrow();
    const shortTag = Buffer.from(tag!, 'base64url').subarray(0, 4).toString('base64url');
    expect(() => box.open([format, id, iv, shortTag, ciphertext].join('.'), endpoint)).toThrow();
    expect(() => box.open(new WebhookSecretBox([oldKey]).seal(secret, endpoint), endpoint)).toThrow(/not in WEBHOOK_SECRET_KEYS/);
    expect(() => box.open('garbage', endpoint)).toThrow(/not a sealed webhook secret/);
  });

  it('is bound to its endpoint: copied onto another endpoint it does not open', () => {
    const box = new WebhookSecretBox([newKey]);
    expect(() => box.open(box.seal(secret, endpoint), 'another-endpoint')).toThrow();
  });

  it('rotates: the first key seals, older ones still open, and what they sealed needs resealing', () => {
    const before = new WebhookSecretBox([oldKey]).seal(secret, endpoint);
    const rotated = new WebhookSecretBox([newKey, oldKey]);
    expect(rotated.open(before, endpoint)).toBe(secret);
    expect(rotated.needsResealing(before)).toBe(true);
    expect(rotated.needsResealing(rotated.seal(secret, endpoint))).toBe(false);
  });

  it('opens secrets stored in the clear before sealing existed, and marks them for sealing', () => {
    const box = new WebhookSecretBox([newKey]);
    expect(box.open(secret, endpoint)).toBe(secret);
    expect(box.needsResealing(secret)).toBe(true);
  });

  it('accepts only 32-byte keys', () => {
    expect(() => secretKeyOf(randomBytes(16))).toThrow(/32 bytes/);
  });
});
