import { DomainError, DomainErrorCode } from '../errors';
import type { Money } from './money';

/** What the wallet says about a transaction, as far as opening a case needs it. */
export interface WalletTransactionFacts {
  ref: string;
  amountMinor: number;
  currency: string;
  /** null when the wallet does not know the merchant (then the opener's stands). */
  merchantId: string | null;
}

/** What the opener of a case claims about the transaction. */
export interface TransactionClaim {
  amount?: Money | null;
  merchantId?: string | null;
}

export interface MatchedTransaction {
  /** The disputed amount: the claimed one, or the whole transaction when none was given. */
  amount: Money;
  merchantId: string | null;
}

/**
 * Holds a new case's claim against the wallet's transaction: the wallet is the source of truth for
 * currency and merchant, and a case never disputes more than was paid. Throws DomainError
 * (CURRENCY_MISMATCH, AMOUNT_EXCEEDS_TRANSACTION, MERCHANT_MISMATCH); fills in what was omitted.
 */
export function matchTransaction(claim: TransactionClaim, transaction: WalletTransactionFacts): MatchedTransaction {
  const details = { transactionRef: transaction.ref, transactionAmountMinor: transaction.amountMinor, transactionCurrency: transaction.currency };
  const amount = claim.amount ?? { amountMinor: transaction.amountMinor, currency: transaction.currency };
  if (amount.currency !== transaction.currency) {
    throw new DomainError(DomainErrorCode.CurrencyMismatch, `Transaction ${transaction.ref} is in ${transaction.currency}, not ${amount.currency}.`, details);
  }
  if (amount.amountMinor > transaction.amountMinor) {
    throw new DomainError(
      DomainErrorCode.AmountExceedsTransaction,
      `The amount ${amount.amountMinor} is more than transaction ${transaction.ref} (${transaction.amountMinor} ${transaction.currency}).`,
      details,
    );
  }
  const given = claim.merchantId ?? null;
  if (transaction.merchantId !== null && given !== null && given !== transaction.merchantId) {
    throw new DomainError(DomainErrorCode.MerchantMismatch, `Transaction ${transaction.ref} was paid to another merchant than ${given}.`, {
      ...details,
      transactionMerchantId: transaction.merchantId,
    });
  }
  return { amount, merchantId: transaction.merchantId ?? given };
}
