/**
 * Money is an integer count of the currency's minor unit (fen for CNY) with its ISO 4217 code.
 * Floats never hold money: 0.1 + 0.2 fen is not a thing a ledger can store.
 */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

const ISO_4217 = /^[A-Z]{3}$/;

export function isValidCurrency(code: string): boolean {
  return ISO_4217.test(code);
}

export function isValidMinorAmount(amountMinor: number): boolean {
  return Number.isSafeInteger(amountMinor) && amountMinor >= 0;
}

export function money(amountMinor: number, currency: string): Money {
  if (!isValidMinorAmount(amountMinor)) throw new RangeError(`amountMinor must be a non-negative integer, got ${amountMinor}`);
  if (!isValidCurrency(currency)) throw new RangeError(`currency must be an ISO 4217 code, got ${currency}`);
  return { amountMinor, currency };
}

/** What may still be refunded on a case: the disputed amount less what already went back. */
export function remainingRefundable(disputed: Money, refundedMinor: number): number {
  return Math.max(0, disputed.amountMinor - refundedMinor);
}
