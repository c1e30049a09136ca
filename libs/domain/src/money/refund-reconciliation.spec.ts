import { compareRefunds, type OurRefundRecord, type WalletRefundRecord } from './refund-reconciliation';

const ours = (key: string, status: string, amountMinor = 1_000): OurRefundRecord => ({
  idempotencyKey: key,
  caseId: `case-${key}`,
  transactionRef: 'TX-1',
  status,
  amountMinor,
  currency: 'CNY',
});
const theirs = (key: string, status: WalletRefundRecord['status'], amountMinor = 1_000): WalletRefundRecord => ({
  idempotencyKey: key,
  refundId: `rf_${key}`,
  transactionRef: 'TX-1',
  status,
  amountMinor,
  currency: 'CNY',
});

describe('daily refund reconciliation: our refunds against the wallet’s', () => {
  it('agreeing sides, and refunds still on their way or failed on both, are no finding', () => {
    expect(
      compareRefunds(
        [ours('a', 'succeeded'), ours('b', 'processing'), ours('c', 'failed'), ours('d', 'requested')],
        [theirs('a', 'succeeded'), theirs('b', 'processing'), theirs('c', 'failed')],
      ),
    ).toEqual([]);
  });

  it('paid by the wallet but not succeeded with us (or unknown to us): paid_not_recorded', () => {
    const found = compareRefunds([ours('a', 'processing')], [theirs('a', 'succeeded'), theirs('z', 'succeeded')]);
    expect(found.map((m) => [m.kind, m.idempotencyKey])).toEqual([
      ['paid_not_recorded', 'a'],
      ['paid_not_recorded', 'z'],
    ]);
    expect(found[1]).toMatchObject({ caseId: null, ours: null, wallet: { refundId: 'rf_z', status: 'succeeded' } });
  });

  it('succeeded with us but failed, processing or missing at the wallet: recorded_not_paid', () => {
    const found = compareRefunds([ours('a', 'succeeded'), ours('b', 'succeeded'), ours('c', 'succeeded')], [theirs('a', 'failed'), theirs('b', 'processing')]);
    expect(found.map((m) => [m.kind, m.idempotencyKey, m.wallet?.status ?? null])).toEqual([
      ['recorded_not_paid', 'a', 'failed'],
      ['recorded_not_paid', 'b', 'processing'],
      ['recorded_not_paid', 'c', null],
    ]);
  });

  it('both succeeded for different amounts or currencies: amount_mismatch', () => {
    const found = compareRefunds([ours('a', 'succeeded', 1_000), { ...ours('b', 'succeeded'), currency: 'USD' }], [theirs('a', 'succeeded', 900), theirs('b', 'succeeded')]);
    expect(found.map((m) => [m.kind, m.idempotencyKey])).toEqual([
      ['amount_mismatch', 'a'],
      ['amount_mismatch', 'b'],
    ]);
    expect(found[0]).toMatchObject({ ours: { amountMinor: 1_000 }, wallet: { amountMinor: 900 } });
  });
});
