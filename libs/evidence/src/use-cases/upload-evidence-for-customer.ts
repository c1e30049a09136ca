import { rm } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { DomainError, DomainErrorCode } from '@app/domain';
import { customerEvidenceCategory } from '../customer-evidence';
import { customerEvidenceLocked } from '../evidence-rules';
import type { EvidenceFileView } from '../evidence-view';
import type { EvidenceUpload } from '../upload/evidence-upload.interceptor';
import { RecordCustomerEvidence } from './record-customer-evidence';

/**
 * An agent records evidence for the customer (a hotline caller who emailed a photo): stored as the
 * customer's evidence, uploaded by the agent. Only `party=customer` is taken here; the merchant's
 * evidence goes through the merchant's own staging and submission.
 */
@Injectable()
export class UploadEvidenceForCustomer {
  constructor(private readonly record: RecordCustomerEvidence) {}

  async execute(command: { caseId: string; agentId: string; upload: EvidenceUpload }): Promise<{ case_id: string; files: EvidenceFileView[] }> {
    const party = command.upload.fields.party;
    let category;
    try {
      if (party !== 'customer') {
        throw new DomainError(DomainErrorCode.ValidationFailed, "Agents upload evidence here on the customer's behalf: send party=customer.", {
          fields: [{ path: 'party', message: 'must be "customer"' }],
        });
      }
      category = customerEvidenceCategory(command.upload.category);
    } catch (error) {
      await Promise.all(command.upload.files.map((file) => rm(file.tempPath, { force: true })));
      throw error;
    }
    return this.record.execute({
      caseId: command.caseId,
      upload: command.upload,
      category,
      uploadedBy: { kind: 'agent', id: command.agentId },
      admit: (entity) => {
        if (entity?.status === 'done') throw customerEvidenceLocked(entity.id);
      },
    });
  }
}
