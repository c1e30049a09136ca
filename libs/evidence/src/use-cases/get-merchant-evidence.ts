import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { findOwnedDispute } from '@app/merchants';
import { loadEvidenceView, type EvidenceView } from '../evidence-view';

@Injectable()
export class GetMerchantEvidence {
  constructor(private readonly em: EntityManager) {}

  async execute(merchantId: string, disputeId: string): Promise<EvidenceView> {
    const em = this.em.fork();
    const dispute = await findOwnedDispute(em, merchantId, disputeId);
    return loadEvidenceView(em, dispute.id, merchantId);
  }
}
