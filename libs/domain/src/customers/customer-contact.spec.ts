import { EMAIL_PATTERN, PHONE_PATTERN, maskContact, maskEmail, maskPhone } from './customer-contact';

describe('customer contact', () => {
  it('masks a mainland mobile number as 138****5678, keeping a country code', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+8613812345678')).toBe('+86138****5678');
  });

  it('masks an address to its first letter and domain', () => {
    expect(maskEmail('wang@example.com')).toBe('w***@example.com');
  });

  it('masks only the fields present', () => {
    expect(maskContact({ email: 'li@example.cn' })).toEqual({ email: 'l***@example.cn' });
  });

  it.each(['13812345678', '+8613812345678', '+14155550123'])('accepts the phone %s', (phone) => expect(PHONE_PATTERN.test(phone)).toBe(true));
  it.each(['0138', '138-1234-5678', '+0123456789', 'call me', '1'.repeat(16)])('refuses the phone %s', (phone) => expect(PHONE_PATTERN.test(phone)).toBe(false));
  it.each(['a@b.cn', 'wang.xiaoming+cases@example.com'])('accepts the address %s', (email) => expect(EMAIL_PATTERN.test(email)).toBe(true));
  it.each(['wang', 'wang@', '@example.com', 'wang@example', 'wang xiao@example.com'])('refuses the address %s', (email) => expect(EMAIL_PATTERN.test(email)).toBe(false));
});
