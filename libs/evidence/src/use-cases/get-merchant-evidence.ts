import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { findOwnedDispute, type MerchantScope } from '@app/merchants';
import { loadEvidenceView, type EvidenceView } from '../evidence-view';

@Injectable()
export class GetMerchantEvidence {
  constructor(private readonly em: EntityManager) {}

  async execute(merchant: MerchantScope, disputeId: string): Promise<EvidenceView> {
    const em = this.em.fork();
    const dispute = await findOwnedDispute(em, merchant, disputeId);
    return loadEvidenceView(em, dispute.id, merchant.id);
  }
}
