import type { EntityManager } from '@mikro-orm/postgresql';
import { CaseEntity, EvidenceFileEntity } from '@app/db';
import { DomainError, DomainErrorCode, allowedEvents, definitionFor, restoreSnapshot } from '@app/domain';

/**
 * The merchant's text fields and file categories. Each counts as the evidence type of its name
 * (shipping_proof and shipping_documentation as proof_of_delivery; the uncategorised ones as
 * nothing), which is how a dispute's evidence requirements are met (see @app/domain).
 */
export const EVIDENCE_TEXT_FIELDS = [
  'receipt',
  'product_description',
  'shipping_proof',
  'tracking_number',
  'customer_communication',
  'refund_policy',
  'service_documentation',
  'cancellation_policy',
  'refund_refusal_explanation',
  'duplicate_charge_documentation',
  'authorisation_proof',
  'uncategorized_text',
] as const;
export type EvidenceTextField = (typeof EVIDENCE_TEXT_FIELDS)[number];

export const EVIDENCE_FILE_CATEGORIES = [
  'receipt',
  'shipping_documentation',
  'customer_communication',
  'refund_policy',
  'service_documentation',
  'cancellation_policy',
  'duplicate_charge_documentation',
  'authorisation_proof',
  'uncategorized_file',
] as const;
export type EvidenceFileCategory = (typeof EVIDENCE_FILE_CATEGORIES)[number];

/**
 * Which machine event submitting evidence would send now, if any. Evidence may be staged only
 * while the machine would accept it: the first answer contests the dispute, a later one answers
 * an agent's request for more information. The machine decides, not this code.
 */
export function evidenceEventFor(entity: CaseEntity): 'MERCHANT_CONTEST' | 'MERCHANT_INFO_PROVIDED' | null {
  if (entity.status === 'done') return null;
  const definition = definitionFor(entity.kind, entity.machineVersion);
  const allowed = allowedEvents(definition, restoreSnapshot(definition, entity.snapshot as never), { kind: 'merchant' });
  if (allowed.includes('MERCHANT_INFO_PROVIDED')) return 'MERCHANT_INFO_PROVIDED';
  if (allowed.includes('MERCHANT_CONTEST')) return 'MERCHANT_CONTEST';
  return null;
}

export function evidenceLocked(disputeId: string): DomainError {
  return new DomainError(
    DomainErrorCode.EvidenceLocked,
    'Evidence can be staged and submitted only while the dispute waits for your response; submitted evidence cannot be changed.',
    { disputeId },
  );
}

export function tooLarge(message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError(DomainErrorCode.PayloadTooLarge, message, details);
}

export async function evidenceBytesUsed(em: EntityManager, caseId: string): Promise<number> {
  const [row] = await em
    .getConnection()
    .execute<Array<{ used: string }>>('select coalesce(sum(size_bytes), 0) as used from evidence_files where case_id = ?', [caseId], 'all', em.getTransactionContext());
  return Number(row?.used ?? 0);
}

export type { EvidenceFileEntity };

export function customerEvidenceLocked(caseId: string): DomainError {
  return new DomainError(DomainErrorCode.EvidenceLocked, 'This case takes no more evidence: it has been decided, withdrawn or closed.', { caseId });
}
