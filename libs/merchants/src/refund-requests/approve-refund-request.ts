import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { SendCaseEvent } from '@app/cases';
import { getMerchantRefundRequestView, type MerchantRefundRequestView } from './merchant-refund-request-view';

export interface ApproveRefundRequestCommand {
  merchantId: string;
  livemode: boolean;
  refundRequestId: string;
  /** Minor units; absent: everything the policy allows (the amount less the fee). */
  amount?: number;
  reason?: string;
}

/** Said for the merchant when they give no reason: the event log records who approved. */
const DEFAULT_REASON = 'Approved by the merchant';

/**
 * The merchant refunds their own money: APPROVE_FULL_REFUND, or APPROVE_PARTIAL_REFUND for an
 * amount below what the policy allows, through the engine's one command path. The event
 * catalogue checks the policy (window, partial refunds, fee) and the machine the state, so an
 * amount above what is refundable is 422 REFUND_EXCEEDS_REMAINING and a decided request 409.
 * Agents' refund limits (four eyes) do not apply: they guard the wallet's money against one
 * agent's mistake, and a merchant approving is the owner of the money deciding (refundLimitOf).
 * The per-transaction refund ledger still holds every refund to what was captured.
 */
@Injectable()
export class ApproveRefundRequest {
  constructor(
    private readonly em: EntityManager,
    private readonly sendCaseEvent: SendCaseEvent,
  ) {}

  async execute(command: ApproveRefundRequestCommand): Promise<MerchantRefundRequestView> {
    const view = await getMerchantRefundRequestView(this.em.fork(), { id: command.merchantId, livemode: command.livemode }, command.refundRequestId);
    const reason = command.reason ?? DEFAULT_REASON;
    // The full amount named explicitly is a full refund; anything else is a partial one the catalogue judges.
    const event =
      command.amount === undefined || command.amount === view.refundable_amount
        ? { type: 'APPROVE_FULL_REFUND', reason }
        : { type: 'APPROVE_PARTIAL_REFUND', amountMinor: command.amount, reason };
    await this.sendCaseEvent.execute({ caseId: command.refundRequestId, event }, { kind: 'merchant', id: command.merchantId });
    return getMerchantRefundRequestView(this.em.fork(), { id: command.merchantId, livemode: command.livemode }, command.refundRequestId);
  }
}
