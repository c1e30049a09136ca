import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { EvidenceFileEntity, EvidenceSubmissionEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { findOwnedDispute } from '@app/merchants';
import { evidenceLocked } from '../evidence-rules';
import { loadEvidenceView, type EvidenceView } from '../evidence-view';
import { EvidenceStorage } from '../storage/evidence-storage';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Removes a staged file; submitted files are part of the record and stay. */
@Injectable()
export class DeleteEvidenceFile {
  constructor(
    private readonly em: EntityManager,
    private readonly storage: EvidenceStorage,
  ) {}

  async execute(command: { merchantId: string; livemode: boolean; disputeId: string; fileId: string }): Promise<EvidenceView> {
    const storageKey = await this.em.fork().transactional(async (em) => {
      const dispute = await findOwnedDispute(em, { id: command.merchantId, livemode: command.livemode }, command.disputeId);
      const file = UUID.test(command.fileId)
        ? await em.findOne(EvidenceFileEntity, { id: command.fileId, caseId: dispute.id, uploadedByKind: 'merchant', uploadedById: command.merchantId })
        : null;
      if (!file) throw new DomainError(DomainErrorCode.NotFound, `No evidence file ${command.fileId}.`);
      const submission = await em.findOneOrFail(EvidenceSubmissionEntity, { id: file.submissionId });
      if (submission.status !== 'draft') throw evidenceLocked(command.disputeId);
      em.remove(file);
      return file.storageKey;
    });
    // After the commit: a failed delete leaves an unreferenced file, never a row without its file.
    await this.storage.delete(storageKey).catch(() => undefined);
    return loadEvidenceView(this.em.fork(), command.disputeId, command.merchantId);
  }
}
