import { DEFAULT_REFUND_POLICY, isWithinRefundWindow, maxRefundableMinor, refundWindowEndsAt, type RefundPolicy } from './refund-policy';

const POLICY: RefundPolicy = { refundWindowDays: 14, partialRefundsAllowed: true, nonRefundableFeeMinor: 300 };
const purchasedAt = '2025-01-01T10:00:00.000Z';

describe('refund policy', () => {
  it('ends the window whole days after the purchase instant', () => {
    expect(refundWindowEndsAt(POLICY, purchasedAt)).toBe('2025-01-15T10:00:00.000Z');
    expect(isWithinRefundWindow(POLICY, purchasedAt, '2025-01-15T10:00:00.000Z')).toBe(true);
    expect(isWithinRefundWindow(POLICY, purchasedAt, '2025-01-15T10:00:00.001Z')).toBe(false);
  });

  it('treats a request before the purchase as outside the window', () => {
    expect(isWithinRefundWindow(POLICY, purchasedAt, '2024-12-31T10:00:00.000Z')).toBe(false);
  });

  it('refunds the amount less the fee and less what already went back', () => {
    const claim = { amountMinor: 10_000, purchasedAt, requestedAt: '2025-01-05T00:00:00Z', alreadyRefundedMinor: 0 };
    expect(maxRefundableMinor(POLICY, claim)).toBe(9_700);
    expect(maxRefundableMinor(POLICY, { ...claim, alreadyRefundedMinor: 4_000 })).toBe(5_700);
    expect(maxRefundableMinor(POLICY, { ...claim, alreadyRefundedMinor: 9_700 })).toBe(0);
  });

  it('never goes below zero, and refunds nothing outside the window', () => {
    expect(maxRefundableMinor(POLICY, { amountMinor: 200, purchasedAt, requestedAt: purchasedAt, alreadyRefundedMinor: 0 })).toBe(0);
    expect(maxRefundableMinor(POLICY, { amountMinor: 10_000, purchasedAt, requestedAt: '2025-02-01T00:00:00Z', alreadyRefundedMinor: 0 })).toBe(0);
  });

  it('refuses amounts and dates that are not money or instants', () => {
    const claim = { amountMinor: 10_000, purchasedAt, requestedAt: purchasedAt, alreadyRefundedMinor: 0 };
    expect(() => maxRefundableMinor(POLICY, { ...claim, amountMinor: 10.5 })).toThrow(RangeError);
    expect(() => maxRefundableMinor(POLICY, { ...claim, requestedAt: 'yesterday' })).toThrow(RangeError);
    expect(() => maxRefundableMinor({ ...POLICY, nonRefundableFeeMinor: -1 }, claim)).toThrow(RangeError);
  });

  it('has a default of 30 days, partial refunds, no fee', () => {
    expect(DEFAULT_REFUND_POLICY).toEqual({ refundWindowDays: 30, partialRefundsAllowed: true, nonRefundableFeeMinor: 0 });
    expect(Object.isFrozen(DEFAULT_REFUND_POLICY)).toBe(true);
  });
});
