import { DomainErrorCode } from '../errors';
import { matchTransaction, type WalletTransactionFacts } from './transaction-match';

const transaction: WalletTransactionFacts = { ref: 'TX-1', amountMinor: 10_000, currency: 'CNY', merchantId: 'm_1' };

describe('a new case is held against the wallet’s transaction', () => {
  it('an omitted amount is the whole transaction, an omitted merchant the wallet’s', () => {
    expect(matchTransaction({}, transaction)).toEqual({ amount: { amountMinor: 10_000, currency: 'CNY' }, merchantId: 'm_1' });
  });

  it('a part of the transaction may be disputed; the whole of it too', () => {
    expect(matchTransaction({ amount: { amountMinor: 2_500, currency: 'CNY' }, merchantId: 'm_1' }, transaction).amount.amountMinor).toBe(2_500);
    expect(matchTransaction({ amount: { amountMinor: 10_000, currency: 'CNY' } }, transaction).amount.amountMinor).toBe(10_000);
  });

  it('refuses more than the transaction, another currency, another merchant', () => {
    expect(() => matchTransaction({ amount: { amountMinor: 10_001, currency: 'CNY' } }, transaction)).toThrow(
      expect.objectContaining({ code: DomainErrorCode.AmountExceedsTransaction }),
    );
    expect(() => matchTransaction({ amount: { amountMinor: 100, currency: 'USD' } }, transaction)).toThrow(expect.objectContaining({ code: DomainErrorCode.CurrencyMismatch }));
    expect(() => matchTransaction({ merchantId: 'm_2' }, transaction)).toThrow(expect.objectContaining({ code: DomainErrorCode.MerchantMismatch }));
  });

  it('when the wallet knows no merchant, the opener’s stands', () => {
    expect(matchTransaction({ merchantId: 'm_9' }, { ...transaction, merchantId: null }).merchantId).toBe('m_9');
    expect(matchTransaction({}, { ...transaction, merchantId: null }).merchantId).toBeNull();
  });
});
