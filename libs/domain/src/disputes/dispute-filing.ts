import { DomainError, DomainErrorCode } from '../errors';
import { canonicalDisputeReason, disputeCounterpartyOf, filingWindowRefusal } from './evidence-requirements';

export interface DisputeFiling {
  reason: string | null;
  /** The merchant the dispute would be against (given, or the wallet's transaction's). */
  merchantId: string | null;
  /** When the transaction happened: the wallet's record, else the purchase time given; null when neither is known. */
  transactionAt: Date | null;
}

/**
 * Whether a dispute may be filed now: within the filing window after its transaction, and, for a
 * dispute with another wallet user, about a transfer rather than a payment to a merchant (that one
 * is disputed with the merchant, under the reason that fits).
 */
export function disputeFilingRefusal(filing: DisputeFiling, filedAt: Date, windowDays: number): DomainError | undefined {
  if (disputeCounterpartyOf(filing.reason) === 'wallet_user' && filing.merchantId !== null) {
    return new DomainError(
      DomainErrorCode.ValidationFailed,
      `A ${canonicalDisputeReason(filing.reason)} dispute is about a transfer to another wallet user, but this transaction was paid to merchant ${filing.merchantId}.`,
      { fields: [{ path: 'reason', message: 'not for a payment to a merchant: choose the reason that fits the purchase' }] },
    );
  }
  return filing.transactionAt ? filingWindowRefusal(filing.transactionAt, filedAt, windowDays) : undefined;
}
