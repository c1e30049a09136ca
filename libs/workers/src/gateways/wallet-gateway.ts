import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';

export interface RefundRequest {
  /** The outbox row id: the gateway must treat a repeated key as the same refund. */
  idempotencyKey: string;
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

/**
 * Stands in for the wallet backend in the demo and tests. It answers like a real gateway would
 * (idempotent by key) and refuses refunds of transactions whose reference starts with the
 * configured prefix, so the failure and retry paths can be exercised end to end.
 */
@Injectable()
export class SimulatedWalletGateway extends WalletGateway {
  private readonly refunds = new Map<string, RefundResult>();
  readonly accountActions = new Map<string, AccountAction>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    const known = this.refunds.get(request.idempotencyKey);
    if (known) return known;
    const prefix = this.config.refunds.simulateFailurePrefix;
    const result: RefundResult =
      prefix && request.transactionRef?.startsWith(prefix)
        ? { ok: false, failureReason: 'simulated: issuer declined the refund' }
        : { ok: true, gatewayRefundId: `rf_${request.idempotencyKey.replace(/-/g, '').slice(0, 24)}` };
    this.refunds.set(request.idempotencyKey, result);
    return result;
  }

  async applyAccountAction(action: AccountAction): Promise<void> {
    if (!this.accountActions.has(action.idempotencyKey)) this.accountActions.set(action.idempotencyKey, action);
  }
}
