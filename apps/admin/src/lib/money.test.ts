import { describe, expect, it } from 'vitest';
import { formatMoney, minorToMajorString, parseMajorToMinor } from './money';

describe('money in the UI', () => {
  it('converts typed major units to integer minor units without float errors', () => {
    expect(parseMajorToMinor('19.99', 'CNY')).toEqual({ ok: true, amountMinor: 1999 });
    expect(parseMajorToMinor('0.29', 'CNY')).toEqual({ ok: true, amountMinor: 29 }); // 0.29 * 100 = 28.999999999999996 as a float
    expect(parseMajorToMinor('1,234.5', 'CNY')).toEqual({ ok: true, amountMinor: 123450 });
    expect(parseMajorToMinor('500', 'JPY')).toEqual({ ok: true, amountMinor: 500 });
    expect(parseMajorToMinor('1.234', 'CNY')).toEqual({ ok: false, reason: 'tooPrecise' });
    expect(parseMajorToMinor('1.5', 'JPY')).toEqual({ ok: false, reason: 'tooPrecise' });
    expect(parseMajorToMinor('-1', 'CNY').ok).toBe(false);
    expect(parseMajorToMinor('1e3', 'CNY').ok).toBe(false);
    expect(parseMajorToMinor('', 'CNY').ok).toBe(false);
    expect(parseMajorToMinor('99999999999999999', 'CNY')).toEqual({ ok: false, reason: 'tooLarge' });
  });

  it('formats minor units per currency and locale', () => {
    expect(minorToMajorString(5, 'CNY')).toBe('0.05');
    expect(minorToMajorString(123456, 'CNY')).toBe('1234.56');
    expect(formatMoney(123456, 'CNY', 'en')).toBe('CN¥1,234.56');
    expect(formatMoney(123456, 'CNY', 'zh-CN')).toBe('¥1,234.56');
    expect(formatMoney(500, 'JPY', 'en')).toBe('¥500');
  });
});
