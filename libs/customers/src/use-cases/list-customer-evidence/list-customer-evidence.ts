import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { EvidenceFileEntity } from '@app/db';
import { findCustomerCase } from '../../cases/customer-case-view';

export interface CustomerEvidenceFileView {
  id: string;
  category: string;
  filename: string;
  content_type: string;
  size: number;
  /** The customer, or support (an agent who uploaded it for them); agents are never named. */
  uploaded_by: 'you' | 'support';
  created_at: string;
}

/** The evidence the customer has handed in on their case (never the merchant's). */
@Injectable()
export class ListCustomerEvidence {
  constructor(private readonly em: EntityManager) {}

  async execute(query: { customerId: string; caseId: string }): Promise<{ case_id: string; files: CustomerEvidenceFileView[] }> {
    const em = this.em.fork();
    const entity = await findCustomerCase(em, query.customerId, query.caseId);
    const files = await em.find(EvidenceFileEntity, { caseId: entity.id, party: 'customer' }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return {
      case_id: entity.id,
      files: files.map((file) => ({
        id: file.id,
        category: file.category,
        filename: file.originalName,
        content_type: file.contentType,
        size: file.sizeBytes,
        uploaded_by: file.uploadedByKind === 'customer' ? 'you' : 'support',
        created_at: file.createdAt.toISOString(),
      })),
    };
  }
}
