import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  it('opens what it sealed, for the same owner only', () => {
    const box = new SecretBox([newKey], 'totp seed');
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'agent-1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed, 'agent-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => box.open(sealed, 'agent-2')).toThrow();
  });

  it('rotates: values sealed under an older key still open, new ones use the first key', () => {
    const sealedOld = new SecretBox([oldKey], 'totp seed').seal('seed', 'a');
    const rotated = new SecretBox([newKey, oldKey], 'totp seed');
    expect(rotated.open(sealedOld, 'a')).toBe('seed');
    expect(() => new SecretBox([newKey], 'totp seed').open(sealedOld, 'a')).toThrow(/not configured/);
  });

  it('refuses a tampered value and one sealed for another purpose', () => {
    const box = new SecretBox([newKey], 'totp seed');
    const sealed = box.seal('seed', 'a');
    const parts = sealed.split('.');
    parts[4] = Buffer.from('other').toString('base64url');
    expect(() => box.open(parts.join('.'), 'a')).toThrow();
    expect(() => new SecretBox([newKey], 'contact').open(sealed, 'a')).toThrow();
  });
});
