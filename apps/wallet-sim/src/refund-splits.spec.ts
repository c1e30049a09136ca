import fc from 'fast-check';
import { remainingPerSource, splitRefund, type FundingSource } from './refund-splits';

const card: FundingSource = { type: 'bank_card', account_ref: 'card ****1234', amount_minor: 6000 };
const balance: FundingSource = { type: 'balance', account_ref: 'balance', amount_minor: 4000 };

describe('原路退回: splitting a refund over the funding sources', () => {
  it('fills the sources in their order', () => {
    expect(splitRefund([card, balance], [6000, 4000], 7000)).toEqual([
      { source_index: 0, type: 'bank_card', account_ref: 'card ****1234', amount_minor: 6000 },
      { source_index: 1, type: 'balance', account_ref: 'balance', amount_minor: 1000 },
    ]);
  });

  it('skips what earlier refunds took back from a source', () => {
    const first = splitRefund([card, balance], [6000, 4000], 7000)!;
    const remaining = remainingPerSource([card, balance], first);
    expect(remaining).toEqual([0, 3000]);
    expect(splitRefund([card, balance], remaining, 3000)).toEqual([{ source_index: 1, type: 'balance', account_ref: 'balance', amount_minor: 3000 }]);
    expect(splitRefund([card, balance], remaining, 3001)).toBeNull();
  });

  it('never gives a source more than it has left, and splits add up to the refund', () => {
    const sources = fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(sources, fc.array(fc.integer({ min: 1, max: 12_000 }), { maxLength: 6 }), (amounts, refunds) => {
        const funding = amounts.map((amount, index): FundingSource => ({ type: 'balance', account_ref: `src-${index}`, amount_minor: amount }));
        const held: ReturnType<typeof splitRefund> & object = [];
        for (const refund of refunds) {
          const remaining = remainingPerSource(funding, held);
          const splits = splitRefund(funding, remaining, refund);
          const left = remaining.reduce((sum, value) => sum + value, 0);
          if (refund > left) {
            expect(splits).toBeNull();
            continue;
          }
          expect(splits!.reduce((sum, split) => sum + split.amount_minor, 0)).toBe(refund);
          for (const split of splits!) expect(split.amount_minor).toBeLessThanOrEqual(remaining[split.source_index]!);
          held.push(...splits!);
        }
        expect(remainingPerSource(funding, held).every((value) => value >= 0)).toBe(true);
      }),
    );
  });
});
