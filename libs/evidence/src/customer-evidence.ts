import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { EvidenceFileEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { evidenceBytesUsed, tooLarge } from './evidence-rules';
import { toFileView, type EvidenceFileView } from './evidence-view';
import { EvidenceStorage } from './storage/evidence-storage';
import { checkUploadedFiles } from './upload/checked-files';
import type { EvidenceUpload } from './upload/evidence-upload.interceptor';

/**
 * What a customer's file shows; `receipt` and `transaction_record` are the proof of purchase. Each
 * counts as the evidence type of its name (`other` as nothing) towards the dispute's requirements.
 */
export const CUSTOMER_EVIDENCE_CATEGORIES = [
  'receipt',
  'transaction_record',
  'product_photos',
  'chat_log',
  'cancellation_confirmation',
  'refund_confirmation',
  'police_report',
  'other',
] as const;
export type CustomerEvidenceCategory = (typeof CUSTOMER_EVIDENCE_CATEGORIES)[number];

export function customerEvidenceCategory(raw: string | undefined): CustomerEvidenceCategory {
  const category = (raw ?? 'other') as CustomerEvidenceCategory;
  if (!CUSTOMER_EVIDENCE_CATEGORIES.includes(category)) {
    throw new DomainError(DomainErrorCode.ValidationFailed, 'Unknown evidence category.', {
      fields: [{ path: 'category', message: `one of ${CUSTOMER_EVIDENCE_CATEGORIES.join(', ')}` }],
    });
  }
  return category;
}

export interface CustomerEvidenceUpload {
  upload: EvidenceUpload;
  category: CustomerEvidenceCategory;
  /** The customer, or the agent who uploads on the customer's behalf. */
  uploadedBy: { kind: 'customer' | 'agent'; id: string };
}

/** Stores the files in storage and records their rows in the caller's transaction (the case row already locked). */
export type RecordCustomerFiles = (em: EntityManager, caseId: string) => Promise<EvidenceFileView[]>;

/**
 * The customer's evidence files: checked by content before anything is stored, stored and recorded
 * inside the caller's transaction (a plain one, or a case command's), and deleted from storage again
 * if that transaction fails. The upload's temporary files are gone when this returns.
 */
@Injectable()
export class CustomerEvidenceFiles {
  private readonly logger = new Logger(CustomerEvidenceFiles.name);

  constructor(
    private readonly storage: EvidenceStorage,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async record<T>(command: CustomerEvidenceUpload, transaction: (record: RecordCustomerFiles) => Promise<T>): Promise<T> {
    const stored: string[] = [];
    try {
      const files = checkUploadedFiles(command.upload.files, this.clock.now());
      const record: RecordCustomerFiles = async (em, caseId) => {
        if (files.length === 0) return [];
        const used = await evidenceBytesUsed(em, caseId);
        const adding = files.reduce((sum, file) => sum + file.sizeBytes, 0);
        const { maxCaseBytes } = this.config.evidence;
        if (used + adding > maxCaseBytes) {
          throw tooLarge(`The files exceed the ${maxCaseBytes} bytes of evidence a case may hold.`, { maxCaseBytes, remainingCaseBytes: Math.max(0, maxCaseBytes - used) });
        }
        const now = this.clock.now();
        const rows: EvidenceFileEntity[] = [];
        for (const file of files) {
          await this.storage.put(file.storageKey, file.tempPath, { contentType: file.contentType, sizeBytes: file.sizeBytes });
          stored.push(file.storageKey);
          rows.push(
            em.create(EvidenceFileEntity, {
              id: randomUUID(),
              caseId,
              submissionId: null,
              party: 'customer',
              uploadedByKind: command.uploadedBy.kind,
              uploadedById: command.uploadedBy.id,
              category: command.category,
              storageKey: file.storageKey,
              originalName: file.name,
              contentType: file.contentType,
              sizeBytes: file.sizeBytes,
              sha256: file.sha256,
              createdAt: now,
            }),
          );
        }
        await em.flush();
        return rows.map(toFileView);
      };
      return await transaction(record);
    } catch (error) {
      await Promise.all(stored.map((key) => this.storage.delete(key).catch((e) => this.logger.warn(`orphan evidence file ${key}: ${e}`))));
      throw error;
    } finally {
      await Promise.all(command.upload.files.map((file) => rm(file.tempPath, { force: true })));
    }
  }
}
