/**
 * 原路退回: a refund goes back the way the money came, over the transaction's funding sources in
 * their order, never more to a source than it paid minus what was already refunded to it.
 */
export interface FundingSource {
  type: 'balance' | 'bank_card' | 'credit';
  account_ref: string;
  amount_minor: number;
}

export interface RefundSplit extends FundingSource {
  /** Position of the funding source in the transaction (what a later refund subtracts from). */
  source_index: number;
}

/** What is still refundable per source, given the splits of the refunds that hold money. */
export function remainingPerSource(sources: readonly FundingSource[], heldSplits: readonly RefundSplit[]): number[] {
  const remaining = sources.map((source) => source.amount_minor);
  for (const split of heldSplits) remaining[split.source_index] = (remaining[split.source_index] ?? 0) - split.amount_minor;
  return remaining;
}

/** null when the sources cannot take the amount back (it exceeds what remains). */
export function splitRefund(sources: readonly FundingSource[], remaining: readonly number[], amountMinor: number): RefundSplit[] | null {
  const splits: RefundSplit[] = [];
  let left = amountMinor;
  sources.forEach((source, index) => {
    const take = Math.min(left, Math.max(0, remaining[index] ?? 0));
    if (take > 0) {
      splits.push({ source_index: index, type: source.type, account_ref: source.account_ref, amount_minor: take });
      left -= take;
    }
  });
  return left === 0 ? splits : null;
}
