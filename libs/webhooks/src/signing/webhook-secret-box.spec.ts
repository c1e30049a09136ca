import { randomBytes } from 'node:crypto';
import { WebhookSecretBox, secretKeyOf } from './webhook-secret-box';

describe('WebhookSecretBox', () => {
  const oldKey = secretKeyOf(randomBytes(32));
  const newKey = secretKeyOf(randomBytes(32));
  const secret = `whsec_${randomBytes(24).toString('base64')}`;

  it('seals so that the stored value reveals nothing and opens back to the secret', () => {
    const box = new WebhookSecretBox([newKey]);
    const sealed = box.seal(secret);
    expect(sealed.startsWith(`enc1.${newKey.id}.`)).toBe(true);
    expect(sealed).not.toContain(secret.slice('whsec_'.length, 20));
    expect(box.open(sealed)).toBe(secret);
    // A fresh IV each time: equal secrets do not look equal at rest.
    expect(box.seal(secret)).not.toBe(sealed);
  });

  it('refuses a tampered value, and one sealed with a key it does not hold', () => {
    const box = new WebhookSecretBox([newKey]);
    const [format, id, iv, tag, ciphertext] = box.seal(secret).split('.');
    const flipped = Buffer.from(ciphertext!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => box.open([format, id, iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
    expect(() => box.open(new WebhookSecretBox([oldKey]).seal(secret))).toThrow(/not in WEBHOOK_SECRET_KEYS/);
    expect(() => box.open('garbage')).toThrow(/not a sealed webhook secret/);
  });

  it('rotates: the first key seals, older ones still open, and what they sealed needs resealing', () => {
    const before = new WebhookSecretBox([oldKey]).seal(secret);
    const rotated = new WebhookSecretBox([newKey, oldKey]);
    expect(rotated.open(before)).toBe(secret);
    expect(rotated.needsResealing(before)).toBe(true);
    expect(rotated.needsResealing(rotated.seal(secret))).toBe(false);
  });

  it('opens secrets stored in the clear before sealing existed, and marks them for sealing', () => {
    const box = new WebhookSecretBox([newKey]);
    expect(box.open(secret)).toBe(secret);
    expect(box.needsResealing(secret)).toBe(true);
  });

  it('accepts only 32-byte keys', () => {
    expect(() => secretKeyOf(randomBytes(16))).toThrow(/32 bytes/);
  });
});
