import { rm } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/domain';
import { RecordCustomerEvidence, customerEvidenceCategory, customerEvidenceLocked, type EvidenceFileView, type EvidenceUpload } from '@app/evidence';
import { UNDECIDED_STATUSES, customerStatusOf } from '../../cases/customer-status';
import { customerCaseNotFound } from '../../cases/customer-case-view';

const EVIDENCE_KINDS = new Set(['dispute', 'refund_request']);

/** Why the customer's case takes no evidence now, or null: only an undecided dispute or refund request does. */
export function customerEvidenceRefusal(entity: { id: string; kind: string; state: string; status: string }): DomainError | null {
  const open = entity.status === 'active' && EVIDENCE_KINDS.has(entity.kind) && UNDECIDED_STATUSES.includes(customerStatusOf(entity.kind as never, entity.state));
  return open ? null : customerEvidenceLocked(entity.id);
}

/** The customer hands in receipts, transaction records, product photos or chat logs while the case is undecided. */
@Injectable()
export class AddCustomerEvidence {
  constructor(private readonly record: RecordCustomerEvidence) {}

  async execute(command: { customerId: string; caseId: string; upload: EvidenceUpload }): Promise<{ case_id: string; files: EvidenceFileView[] }> {
    let category;
    try {
      category = customerEvidenceCategory(command.upload.category);
    } catch (error) {
      await Promise.all(command.upload.files.map((file) => rm(file.tempPath, { force: true })));
      throw error;
    }
    return this.record.execute({
      caseId: command.caseId,
      upload: command.upload,
      category,
      uploadedBy: { kind: 'customer', id: command.customerId },
      admit: (entity) => {
        if (!entity || entity.customerId !== command.customerId) throw customerCaseNotFound(command.caseId);
        const refusal = customerEvidenceRefusal(entity);
        if (refusal) throw refusal;
      },
    });
  }
}
