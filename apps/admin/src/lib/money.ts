/**
 * Money in the UI. The API speaks integer minor units (fen); agents type and read major units
 * (yuan). Conversion goes through decimal strings, never through floating point: 0.1 + 0.2 is
 * not 0.3 in a float, and a refund of 19.99 must be exactly 1999 fen.
 */

/** Minor-unit digits of a currency (CNY 2, JPY 0, KWD 3), from the platform's ISO 4217 data. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "1999" fen → "19.99"; exact for every safe integer. */
export function minorToMajorString(amountMinor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const negative = amountMinor < 0;
  const text = String(Math.abs(Math.trunc(amountMinor))).padStart(digits + 1, '0');
  const whole = digits ? text.slice(0, -digits) : text;
  const fraction = digits ? text.slice(-digits) : '';
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

export function formatMoney(amountMinor: number, currency: string, locale: string): string {
  const major = minorToMajorString(amountMinor, currency);
  try {
    // A decimal string keeps every digit: Intl formats it without converting to a float first.
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(major as unknown as number);
  } catch {
    return `${major} ${currency}`;
  }
}

export type ParsedAmount = { ok: true; amountMinor: number } | { ok: false; reason: 'invalid' | 'tooPrecise' | 'tooLarge' };

/**
 * "19.99" → 1999 for CNY. Accepts digits with an optional decimal point (and thousands
 * separators, which agents paste); refuses more decimals than the currency has.
 */
export function parseMajorToMinor(input: string, currency: string): ParsedAmount {
  const digits = currencyDigits(currency);
  const text = input.trim().replace(/[,\s，]/g, '');
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || text === '' || text === '.') return { ok: false, reason: 'invalid' };
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return { ok: false, reason: 'tooPrecise' };
  const minorText = `${whole}${fraction.padEnd(digits, '0')}`.replace(/^0+(?=\d)/, '');
  const amountMinor = Number(minorText || '0');
  if (!Number.isSafeInteger(amountMinor)) return { ok: false, reason: 'tooLarge' };
  return { ok: true, amountMinor };
}
