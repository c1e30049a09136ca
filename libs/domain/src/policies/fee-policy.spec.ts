import { DomainError, DomainErrorCode } from '../errors';
import { money } from '../money/money';
import { DEFAULT_FEE_POLICY, calculateFee, type FeePolicy } from './fee-policy';

describe('fee policy', () => {
  it('charges the percentage, rounded up to the next fen', () => {
    // 0.1 % of 123.45 CNY is 12.345 fen: 13 fen.
    expect(calculateFee(DEFAULT_FEE_POLICY, 'withdrawal', money(12_345, 'CNY'))).toEqual(money(13, 'CNY'));
    // 1.5 % of 200.00 CNY is exactly 300 fen.
    expect(calculateFee(DEFAULT_FEE_POLICY, 'crossBorder', money(20_000, 'CNY'))).toEqual(money(300, 'CNY'));
  });

  it('charges at least the minimum', () => {
    expect(calculateFee(DEFAULT_FEE_POLICY, 'withdrawal', money(500, 'CNY'))).toEqual(money(10, 'CNY'));
  });

  it('charges at most the maximum where there is one', () => {
    const capped: FeePolicy = {
      currency: 'CNY',
      fees: { withdrawal: { basisPoints: 10, minimumMinor: 10, maximumMinor: 2_500 }, crossBorder: { basisPoints: 0, minimumMinor: 0 } },
    };
    expect(calculateFee(capped, 'withdrawal', money(100_000_000, 'CNY'))).toEqual(money(2_500, 'CNY'));
  });

  it('charges nothing when nothing moves', () => {
    expect(calculateFee(DEFAULT_FEE_POLICY, 'withdrawal', money(0, 'CNY'))).toEqual(money(0, 'CNY'));
  });

  it('stays exact for amounts whose product with the rate exceeds float precision', () => {
    const amount = Number.MAX_SAFE_INTEGER; // 9 007 199 254 740 991 fen
    expect(calculateFee(DEFAULT_FEE_POLICY, 'crossBorder', money(amount, 'CNY')).amountMinor).toBe(135_107_988_821_115);
  });

  it('refuses an amount in another currency than the policy', () => {
    let error: unknown;
    try {
      calculateFee(DEFAULT_FEE_POLICY, 'withdrawal', money(1_000, 'USD'));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(DomainErrorCode.CurrencyMismatch);
  });
});
