/**
 * The daily comparison of our refunds with the wallet's, by our idempotency key (the wallet keeps
 * it with every refund). It finds three kinds of disagreement and decides nothing about money:
 * - `paid_not_recorded`: the wallet paid it, we do not have it as succeeded (a lost callback, a
 *   refund we never recorded);
 * - `recorded_not_paid`: we have it as succeeded, the wallet has not paid it (or has no such refund);
 * - `amount_mismatch`: both say succeeded, for different amounts or currencies.
 */
export type RefundMismatchKind = 'paid_not_recorded' | 'recorded_not_paid' | 'amount_mismatch';
export const REFUND_MISMATCH_KINDS: readonly RefundMismatchKind[] = ['paid_not_recorded', 'recorded_not_paid', 'amount_mismatch'];

export interface OurRefundRecord {
  idempotencyKey: string;
  caseId: string;
  transactionRef: string | null;
  /** requested / processing / succeeded / failed */
  status: string;
  amountMinor: number;
  currency: string;
}

export interface WalletRefundRecord {
  idempotencyKey: string;
  refundId: string;
  transactionRef: string;
  status: 'processing' | 'succeeded' | 'failed';
  amountMinor: number;
  currency: string;
}

export interface RefundMismatch {
  kind: RefundMismatchKind;
  idempotencyKey: string;
  transactionRef: string | null;
  caseId: string | null;
  ours: Pick<OurRefundRecord, 'status' | 'amountMinor' | 'currency'> | null;
  wallet: Pick<WalletRefundRecord, 'refundId' | 'status' | 'amountMinor' | 'currency'> | null;
}

/**
 * Compares both sides' refunds. `theirs` holds every wallet refund that concerns us (of our
 * transactions, or under one of our keys); a key on one side only is compared with nothing.
 */
export function compareRefunds(ours: readonly OurRefundRecord[], theirs: readonly WalletRefundRecord[]): RefundMismatch[] {
  const ourByKey = new Map(ours.map((refund) => [refund.idempotencyKey, refund]));
  const theirByKey = new Map(theirs.map((refund) => [refund.idempotencyKey, refund]));
  const keys = [...new Set([...ourByKey.keys(), ...theirByKey.keys()])].sort();
  const mismatches: RefundMismatch[] = [];
  for (const key of keys) {
    const our = ourByKey.get(key) ?? null;
    const their = theirByKey.get(key) ?? null;
    const kind = mismatchOf(our, their);
    if (!kind) continue;
    mismatches.push({
      kind,
      idempotencyKey: key,
      transactionRef: our?.transactionRef ?? their?.transactionRef ?? null,
      caseId: our?.caseId ?? null,
      ours: our && { status: our.status, amountMinor: our.amountMinor, currency: our.currency },
      wallet: their && { refundId: their.refundId, status: their.status, amountMinor: their.amountMinor, currency: their.currency },
    });
  }
  return mismatches;
}

function mismatchOf(our: OurRefundRecord | null, their: WalletRefundRecord | null): RefundMismatchKind | null {
  const paid = their?.status === 'succeeded';
  const recorded = our?.status === 'succeeded';
  if (paid && !recorded) return 'paid_not_recorded';
  if (recorded && !paid) return 'recorded_not_paid';
  if (paid && recorded && (our!.amountMinor !== their!.amountMinor || our!.currency !== their!.currency)) return 'amount_mismatch';
  return null;
}
