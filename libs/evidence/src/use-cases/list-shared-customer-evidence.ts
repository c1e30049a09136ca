import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { EvidenceFileEntity } from '@app/db';
import { findOwnedDispute, findOwnedRefundRequest, type MerchantScope } from '@app/merchants';
import { toFileView, type EvidenceFileView } from '../evidence-view';

/** The customer's files an agent shared with the merchant, oldest first; nothing else of the customer's. */
@Injectable()
export class ListSharedCustomerEvidence {
  constructor(private readonly em: EntityManager) {}

  async execute(command: { merchant: MerchantScope; caseId: string; caseKind: 'dispute' | 'refund_request' }): Promise<{ object: 'list'; data: EvidenceFileView[] }> {
    const em = this.em.fork();
    await (command.caseKind === 'refund_request' ? findOwnedRefundRequest : findOwnedDispute)(em, command.merchant, command.caseId);
    const files = await em.find(
      EvidenceFileEntity,
      { caseId: command.caseId, party: 'customer', sharedWithMerchantAt: { $ne: null } },
      { orderBy: { sharedWithMerchantAt: 'asc', id: 'asc' } },
    );
    return { object: 'list', data: files.map(toFileView) };
  }
}
