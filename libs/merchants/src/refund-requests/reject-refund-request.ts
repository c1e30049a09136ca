import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { SendCaseEvent } from '@app/cases';
import { findOwnedRefundRequest, getMerchantRefundRequestView, type MerchantRefundRequestView } from './merchant-refund-request-view';

/**
 * The merchant says no, with a reason the customer is shown. The customer may contest it once
 * (v3 cases); support then decides.
 */
@Injectable()
export class RejectRefundRequest {
  constructor(
    private readonly em: EntityManager,
    private readonly sendCaseEvent: SendCaseEvent,
  ) {}

  async execute(command: { merchantId: string; livemode: boolean; refundRequestId: string; reason: string }): Promise<MerchantRefundRequestView> {
    await findOwnedRefundRequest(this.em.fork(), { id: command.merchantId, livemode: command.livemode }, command.refundRequestId);
    await this.sendCaseEvent.execute({ caseId: command.refundRequestId, event: { type: 'REJECT', reason: command.reason } }, { kind: 'merchant', id: command.merchantId });
    return getMerchantRefundRequestView(this.em.fork(), { id: command.merchantId, livemode: command.livemode }, command.refundRequestId);
  }
}
