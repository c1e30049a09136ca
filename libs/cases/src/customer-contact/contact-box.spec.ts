import { randomBytes } from 'node:crypto';
import { ContactBox } from './contact-box';

describe('ContactBox', () => {
  const key = randomBytes(32);
  const box = new ContactBox([key]);

  it('opens what it sealed, and the sealed form does not contain the value', () => {
    const sealed = box.seal('13812345678', 'case-1', 'phone');
    expect(sealed).not.toContain('13812345678');
    expect(box.open(sealed, 'case-1', 'phone')).toBe('13812345678');
  });

  it('refuses a value moved to another case or field', () => {
    const sealed = box.seal('13812345678', 'case-1', 'phone');
    expect(() => box.open(sealed, 'case-2', 'phone')).toThrow();
    expect(() => box.open(sealed, 'case-1', 'email')).toThrow();
  });

  it('opens values sealed under an older key after rotation', () => {
    const sealed = box.seal('wang@example.com', 'c', 'email');
    const rotated = new ContactBox([randomBytes(32), key]);
    expect(rotated.open(sealed, 'c', 'email')).toBe('wang@example.com');
    expect(() => new ContactBox([randomBytes(32)]).open(sealed, 'c', 'email')).toThrow(/not in PII_KEYS/);
  });
});
