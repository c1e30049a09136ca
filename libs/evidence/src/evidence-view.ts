import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { EvidenceFileEntity, EvidenceSubmissionEntity } from '@app/db';

export interface EvidenceFileView {
  id: string;
  /** Whose side the file supports: the merchant's submissions, or the customer's evidence. */
  party: 'merchant' | 'customer';
  category: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  uploaded_by: { kind: string; id: string };
  created: string;
  /** Customer files only: when an agent shared it with the merchant (null: agents only). */
  shared_with_merchant_at?: string | null;
}

export interface EvidenceSubmissionView {
  number: number | null;
  status: 'draft' | 'submitted';
  fields: Record<string, string>;
  files: EvidenceFileView[];
  summary: string | null;
  submitted_as: string | null;
  submitted: string | null;
}

export interface EvidenceView {
  dispute_id: string;
  /** What is staged and not yet submitted. */
  draft: EvidenceSubmissionView | null;
  submissions: EvidenceSubmissionView[];
  /** The customer's files (uploaded by the customer, or by an agent on their behalf); only agents see these. */
  customer_files?: EvidenceFileView[];
}

export const toFileView = (file: EvidenceFileEntity): EvidenceFileView => ({
  id: file.id,
  party: file.party,
  category: file.category,
  filename: file.originalName,
  content_type: file.contentType,
  size: file.sizeBytes,
  sha256: file.sha256,
  uploaded_by: { kind: file.uploadedByKind, id: file.uploadedById },
  created: file.createdAt.toISOString(),
  ...(file.party === 'customer' ? { shared_with_merchant_at: file.sharedWithMerchantAt?.toISOString() ?? null } : {}),
});

/**
 * A case's evidence. `merchantId` limits files to those the merchant uploaded (merchants see their
 * own); agents pass undefined and see everything.
 */
export async function loadEvidenceView(em: EntityManager, caseId: string, merchantId?: string): Promise<EvidenceView> {
  const submissions = await em.find(EvidenceSubmissionEntity, { caseId }, { orderBy: { createdAt: 'asc' } });
  const files = await em.find(EvidenceFileEntity, merchantId ? { caseId, party: 'merchant', uploadedByKind: 'merchant', uploadedById: merchantId } : { caseId }, {
    orderBy: { createdAt: 'asc', id: 'asc' },
  });
  const view = (submission: EvidenceSubmissionEntity): EvidenceSubmissionView => ({
    number: submission.number,
    status: submission.status,
    fields: submission.fields,
    files: files.filter((file) => file.submissionId === submission.id).map(toFileView),
    summary: submission.summary,
    submitted_as: submission.eventType,
    submitted: submission.submittedAt?.toISOString() ?? null,
  });
  const draft = submissions.find((submission) => submission.status === 'draft');
  return {
    dispute_id: caseId,
    draft: draft ? view(draft) : null,
    submissions: submissions
      .filter((submission) => submission.status === 'submitted')
      .sort((a, b) => a.number! - b.number!)
      .map(view),
    ...(merchantId ? {} : { customer_files: files.filter((file) => file.party === 'customer').map(toFileView) }),
  };
}

/** The case's draft, created if there is none, locked for the rest of the transaction. */
export async function lockDraft(em: EntityManager, caseId: string, merchantId: string, now: Date): Promise<EvidenceSubmissionEntity> {
  await em.getConnection().execute(
    `insert into evidence_submissions (id, case_id, merchant_id, status, fields, created_at, updated_at)
     values (?, ?, ?, 'draft', '{}', ?, ?) on conflict (case_id) where status = 'draft' do nothing`,
    [randomUUID(), caseId, merchantId, now, now],
    'all',
    em.getTransactionContext(),
  );
  return em.findOneOrFail(EvidenceSubmissionEntity, { caseId, status: 'draft' }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}
