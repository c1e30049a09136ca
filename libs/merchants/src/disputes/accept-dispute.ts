import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { SendCaseEvent } from '@app/cases';
import { findOwnedDispute, getMerchantDisputeView, type MerchantDisputeView, type MerchantScope } from './merchant-dispute-view';

/**
 * The merchant concedes: MERCHANT_ACCEPT through the engine's one command path, so the machine
 * decides whether it may happen now and the refund follows through the outbox.
 */
@Injectable()
export class AcceptDispute {
  constructor(
    private readonly em: EntityManager,
    private readonly sendCaseEvent: SendCaseEvent,
  ) {}

  async execute(merchant: MerchantScope, disputeId: string): Promise<MerchantDisputeView> {
    await findOwnedDispute(this.em.fork(), merchant, disputeId);
    await this.sendCaseEvent.execute({ caseId: disputeId, event: { type: 'MERCHANT_ACCEPT' } }, { kind: 'merchant', id: merchant.id });
    return getMerchantDisputeView(this.em.fork(), merchant, disputeId);
  }
}
