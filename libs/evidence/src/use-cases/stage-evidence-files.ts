import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { EvidenceFileEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { findOwnedDispute } from '@app/merchants';
import { EVIDENCE_FILE_CATEGORIES, evidenceBytesUsed, evidenceEventFor, evidenceLocked, tooLarge, type EvidenceFileCategory } from '../evidence-rules';
import { loadEvidenceView, lockDraft, type EvidenceView } from '../evidence-view';
import { EvidenceStorage } from '../storage/evidence-storage';
import { checkUploadedFiles } from '../upload/checked-files';
import type { EvidenceUpload } from '../upload/evidence-upload.interceptor';

export interface StageEvidenceFilesCommand {
  merchantId: string;
  /** The key's mode: a test key reaches only test disputes. */
  livemode: boolean;
  disputeId: string;
  upload: EvidenceUpload;
}

/**
 * Stores uploaded files on the dispute's draft. Every file is checked (type by its bytes, the
 * case's total) before the first one is stored; then files go to storage and rows commit, and if
 * the commit fails the stored files are deleted again.
 */
@Injectable()
export class StageEvidenceFiles {
  private readonly logger = new Logger(StageEvidenceFiles.name);

  constructor(
    private readonly em: EntityManager,
    private readonly storage: EvidenceStorage,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Takes over the upload's temporary files: each one is either stored or removed before this returns. */
  async execute(command: StageEvidenceFilesCommand): Promise<EvidenceView> {
    try {
      return await this.store(command);
    } finally {
      await Promise.all(command.upload.files.map((file) => rm(file.tempPath, { force: true })));
    }
  }

  private async store(command: StageEvidenceFilesCommand): Promise<EvidenceView> {
    const category = (command.upload.category ?? 'uncategorized_file') as EvidenceFileCategory;
    if (!EVIDENCE_FILE_CATEGORIES.includes(category)) {
      throw new DomainError(DomainErrorCode.ValidationFailed, 'Unknown evidence file category.', {
        fields: [{ path: 'category', message: `one of ${EVIDENCE_FILE_CATEGORIES.join(', ')}` }],
      });
    }
    const files = checkUploadedFiles(command.upload.files, this.clock.now());

    const stored: string[] = [];
    try {
      await this.em.fork().transactional(async (em) => {
        const dispute = await findOwnedDispute(em, { id: command.merchantId, livemode: command.livemode }, command.disputeId);
        if (!evidenceEventFor(dispute)) throw evidenceLocked(command.disputeId);
        const now = this.clock.now();
        // The draft's row lock also serialises concurrent uploads to the case, so the total holds.
        const draft = await lockDraft(em, dispute.id, command.merchantId, now);
        const used = await evidenceBytesUsed(em, dispute.id);
        const adding = files.reduce((sum, file) => sum + file.sizeBytes, 0);
        if (used + adding > this.config.evidence.maxCaseBytes) {
          throw tooLarge(`The files exceed the ${this.config.evidence.maxCaseBytes} bytes of evidence a dispute may hold.`, {
            maxCaseBytes: this.config.evidence.maxCaseBytes,
            remainingCaseBytes: Math.max(0, this.config.evidence.maxCaseBytes - used),
          });
        }
        for (const file of files) {
          await this.storage.put(file.storageKey, file.tempPath, { contentType: file.contentType, sizeBytes: file.sizeBytes });
          stored.push(file.storageKey);
          em.create(EvidenceFileEntity, {
            id: randomUUID(),
            caseId: dispute.id,
            submissionId: draft.id,
            party: 'merchant',
            uploadedByKind: 'merchant',
            uploadedById: command.merchantId,
            category,
            storageKey: file.storageKey,
            originalName: file.name,
            contentType: file.contentType,
            sizeBytes: file.sizeBytes,
            sha256: file.sha256,
            createdAt: now,
          });
        }
        draft.updatedAt = now;
      });
    } catch (error) {
      await Promise.all(stored.map((key) => this.storage.delete(key).catch((e) => this.logger.warn(`orphan evidence file ${key}: ${e}`))));
      throw error;
    }
    return loadEvidenceView(this.em.fork(), command.disputeId, command.merchantId);
  }
}
