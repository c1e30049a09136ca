import { formatDue, formatMoney, resolveCustomerLocale } from './customer-texts';

describe('customer language', () => {
  it.each([
    [undefined, undefined, 'zh-CN'],
    ['en', 'zh-CN', 'en'],
    ['zh-CN', 'en-US', 'zh-CN'],
    [undefined, 'en-US,en;q=0.9', 'en'],
    [undefined, 'fr-FR, en;q=0.5, zh-TW;q=0.8', 'zh-CN'],
    [undefined, 'fr-FR, de;q=0.5', 'zh-CN'],
    [undefined, 'zh;q=0, en;q=0.1', 'en'],
  ])('?locale=%s with Accept-Language %s → %s', (query, header, expected) => {
    expect(resolveCustomerLocale(query, header)).toBe(expected);
  });

  it('writes money from minor units and times in the calendar zone', () => {
    expect(formatMoney(12_345, 'CNY', 'en')).toBe('CN¥123.45');
    expect(formatMoney(12_345, 'CNY', 'zh-CN')).toBe('¥123.45');
    expect(formatMoney(500, 'JPY', 'en')).toBe('¥500');
    const at = new Date('2026-12-03T16:30:00Z');
    expect(formatDue(at, 'en', 'Asia/Shanghai')).toBe('4 December 2026 at 00:30');
    expect(formatDue(at, 'zh-CN', 'Asia/Shanghai')).toBe('2026年12月4日 00:30');
  });
});
