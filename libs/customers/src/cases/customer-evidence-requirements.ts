import type { EntityManager } from '@mikro-orm/postgresql';
import type { CaseEntity } from '@app/db';
import { customerEvidenceItems, evidenceRequirementsStatus, evidenceRequirementsUnmet, type DomainError, type EvidenceRequirementsStatus } from '@app/domain';

/**
 * Where the customer's side of a dispute stands against its reason's requirements. The categories
 * of the customer's files count as their evidence types; a case that names a wallet transaction
 * has its transaction record already (the wallet's own, which we looked up when the case opened).
 * Null for a case that is not a dispute.
 */
export function customerEvidenceStatus(entity: Pick<CaseEntity, 'kind' | 'snapshot' | 'transactionRef'>, categories: readonly string[]): EvidenceRequirementsStatus | null {
  if (entity.kind !== 'dispute') return null;
  const reason = (entity.snapshot as { context?: { reason?: string } }).context?.reason ?? '';
  return evidenceRequirementsStatus(reason, 'customer', customerEvidenceItems(categories, entity.transactionRef));
}

/** The refusal of a customer's answer that leaves required evidence missing, counting what the answer brings. */
export function customerEvidenceUnmet(entity: Pick<CaseEntity, 'kind' | 'snapshot' | 'transactionRef'>, categories: readonly string[]): DomainError | undefined {
  const status = customerEvidenceStatus(entity, categories);
  const reason = (entity.snapshot as { context?: { reason?: string } }).context?.reason ?? '';
  return evidenceRequirementsUnmet(status, reason, 'customer');
}

/** The categories of the customer's evidence files per case (uploaded by the customer or an agent for them). */
export async function customerEvidenceCategories(em: EntityManager, caseIds: string[]): Promise<Map<string, string[]>> {
  if (caseIds.length === 0) return new Map();
  const rows = await em
    .getConnection()
    .execute<Array<{ case_id: string; category: string }>>(
      `select distinct case_id, category from evidence_files where party = 'customer' and case_id = any(?::uuid[])`,
      [`{${caseIds.join(',')}}`],
      'all',
      em.getTransactionContext(),
    );
  const byCase = new Map<string, string[]>();
  for (const row of rows) byCase.set(row.case_id, [...(byCase.get(row.case_id) ?? []), row.category]);
  return byCase;
}
