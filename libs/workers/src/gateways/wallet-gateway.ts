import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';

export interface RefundRequest {
  /**
   * Names the logical refund: every attempt of one decided refund (first try and retries) shares
   * it. The gateway must never pay a key twice: a key that already succeeded answers that success
   * again, so a retry after an ambiguous failure (a timeout that did pay) cannot refund twice.
   */
  idempotencyKey: string;
  /** The outbox row of this attempt: distinguishes retries in the gateway's logs. */
  attemptId: string;
  caseId: string;
  transactionRef: string | null;
  amountMinor: number;
  currency: string;
}

export type RefundResult = { ok: true; gatewayRefundId: string } | { ok: false; failureReason: string };

export interface AccountAction {
  idempotencyKey: string;
  customerId: string;
  action: 'freezeAccount' | 'unfreezeAccount' | 'resetCredentials' | 'postBalanceCorrection';
  details: Record<string, unknown>;
}

/**
 * The port to the wallet's payment and account systems. Every call carries an idempotency key,
 * so a redelivered job never refunds or freezes twice on the gateway's side either.
 */
export abstract class WalletGateway {
  abstract refund(request: RefundRequest): Promise<RefundResult>;
  abstract applyAccountAction(action: AccountAction): Promise<void>;
}

/** Transactions whose reference starts with this time out on the first try after the money went out. */
export const SIMULATED_AMBIGUOUS_PREFIX = 'AMBIGUOUS-';

/**
 * Stands in for the wallet backend in the demo and tests. It answers like a real gateway would
 * (never pays one key twice) and refuses refunds of transactions whose reference starts with the
 * configured prefix, so the failure and retry paths can be exercised end to end. References
 * starting with AMBIGUOUS- pay on the first attempt but report a timeout, as real networks do.
 */
@Injectable()
export class SimulatedWalletGateway extends WalletGateway {
  /** Succeeded refunds by key: the money that actually went out. */
  readonly payouts = new Map<string, { gatewayRefundId: string; amountMinor: number; currency: string }>();
  readonly accountActions = new Map<string, AccountAction>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    const paid = this.payouts.get(request.idempotencyKey);
    if (paid) return { ok: true, gatewayRefundId: paid.gatewayRefundId };
    const prefix = this.config.refunds.simulateFailurePrefix;
    if (prefix && request.transactionRef?.startsWith(prefix)) return { ok: false, failureReason: 'simulated: issuer declined the refund' };
    const gatewayRefundId = `rf_${request.attemptId.replace(/-/g, '').slice(0, 24)}`;
    this.payouts.set(request.idempotencyKey, { gatewayRefundId, amountMinor: request.amountMinor, currency: request.currency });
    if (request.transactionRef?.startsWith(SIMULATED_AMBIGUOUS_PREFIX)) return { ok: false, failureReason: 'gateway_timeout' };
    return { ok: true, gatewayRefundId };
  }

  async applyAccountAction(action: AccountAction): Promise<void> {
    if (!this.accountActions.has(action.idempotencyKey)) this.accountActions.set(action.idempotencyKey, action);
  }
}
