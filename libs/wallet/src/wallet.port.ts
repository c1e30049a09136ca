/**
 * The port to the wallet: the separate system that holds the money and the accounts. The written
 * contract is `docs/wallet-contract.openapi.yaml`; the HTTP adapter implements it against
 * `WALLET_BASE_URL` (the real wallet in production, `apps/wallet-sim` in the demo and tests).
 * Amounts are integer minor units. Every write carries our idempotency key: the wallet never does
 * one key twice, and a key reused with other parameters is refused.
 */

export type FundingSourceType = 'balance' | 'bank_card' | 'credit';

export interface WalletFundingSource {
  type: FundingSourceType;
  /** The card, bank account or balance the money came from (masked by the wallet). */
  accountRef: string;
  amountMinor: number;
}

export interface WalletTransaction {
  /** Normalised reference (trimmed, upper case). */
  ref: string;
  amountMinor: number;
  currency: string;
  merchantId: string | null;
  payerId: string;
  status: 'pending' | 'captured' | 'failed' | 'reversed';
  fundingSources: WalletFundingSource[];
  /** What the wallet itself has refunded of it so far (all refunds, whoever asked). */
  refundedMinor: number;
  createdAt: Date;
}

export type WalletRefundStatus = 'processing' | 'succeeded' | 'failed';

export interface WalletRefund {
  /** The wallet's own id of the refund. */
  refundId: string;
  /** Our key, as sent. */
  idempotencyKey: string;
  transactionRef: string;
  amountMinor: number;
  currency: string;
  status: WalletRefundStatus;
  /** 原路退回: how the refund is split back over the transaction's funding sources. */
  splits: WalletFundingSource[];
  /** While processing at the bank: when the money is expected to arrive. */
  expectedArrivalAt: Date | null;
  failureReason: string | null;
  settledAt: Date | null;
  createdAt: Date;
}

export interface WalletRefundRequest {
  idempotencyKey: string;
  transactionRef: string;
  amountMinor: number;
  currency: string;
  reason: string;
}

export type WalletAccountActionKind = 'freeze' | 'unfreeze' | 'credential_reset' | 'balance_correction';

export interface WalletAccountAction {
  actionId: string;
  idempotencyKey: string;
  accountId: string;
  kind: WalletAccountActionKind;
  /** Account actions are confirmed asynchronously by a signed callback (account.frozen, …). */
  status: 'processing' | 'completed' | 'failed';
  /** A posted balance correction: the wallet's ledger entry (with status completed). */
  ledgerEntryRef?: string | null;
}

export interface WalletAccountActionRequest {
  accountId: string;
  idempotencyKey: string;
  reason: string;
}

export interface WalletBalanceCorrectionRequest extends WalletAccountActionRequest {
  amountMinor: number;
  currency: string;
  direction: 'credit' | 'debit';
}

export interface WalletPendingTransaction {
  ref: string;
  amountMinor: number;
  currency: string;
  status: 'pending' | 'settled' | 'failed';
  createdAt: Date;
}

/**
 * Why a call to the wallet did not give an answer we can act on.
 * - `ambiguous`: the request may have been carried out (a timeout after sending): look it up
 *   before trying again, never repeat a payment blindly.
 * - `unavailable`: not carried out (connection refused, 5xx before acceptance, circuit open):
 *   safe to retry later.
 * - `rejected`: the wallet refused it for good (4xx with a code, e.g. REFUND_EXCEEDS_TRANSACTION).
 */
export class WalletCallError extends Error {
  constructor(
    readonly kind: 'ambiguous' | 'unavailable' | 'rejected',
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'WalletCallError';
  }
}

export abstract class WalletPort {
  /** null when the wallet does not know the reference. */
  abstract getTransaction(ref: string): Promise<WalletTransaction | null>;
  abstract requestRefund(request: WalletRefundRequest): Promise<WalletRefund>;
  /** null when the wallet has no refund under our key. */
  abstract findRefund(idempotencyKey: string): Promise<WalletRefund | null>;
  /** The wallet's refunds created in [from, to), for the daily reconciliation. */
  abstract listRefunds(range: { from: Date; to: Date }): Promise<WalletRefund[]>;
  abstract freezeAccount(request: WalletAccountActionRequest): Promise<WalletAccountAction>;
  abstract unfreezeAccount(request: WalletAccountActionRequest): Promise<WalletAccountAction>;
  /** Resets the credentials and revokes every session of the account. */
  abstract resetCredentials(request: WalletAccountActionRequest): Promise<WalletAccountAction>;
  abstract postBalanceCorrection(request: WalletBalanceCorrectionRequest): Promise<WalletAccountAction>;
  abstract listPendingTransactions(accountId: string): Promise<WalletPendingTransaction[]>;
}

/** References are compared trimmed and in upper case, here and in the wallet. */
export function normaliseTransactionRef(ref: string): string {
  return ref.trim().toUpperCase();
}
