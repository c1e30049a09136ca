import type { Readable } from 'node:stream';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { EvidenceFileEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { findOwnedDispute, findOwnedRefundRequest } from '@app/merchants';
import { EvidenceStorage } from '../storage/evidence-storage';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface EvidenceFileDownload {
  stream: Readable;
  filename: string;
  contentType: string;
  sizeBytes: number;
}

/**
 * The only way to a stored file: an agent (any file of the case), the merchant who uploaded it,
 * or the merchant of the case for a customer's file an agent shared with them. A file of another
 * case, another merchant, an unshared customer file or no file at all are the same 404.
 */
@Injectable()
export class OpenEvidenceFile {
  constructor(
    private readonly em: EntityManager,
    private readonly storage: EvidenceStorage,
  ) {}

  async execute(command: {
    caseId: string;
    fileId: string;
    /** A merchant reads through a dispute (the default) or a refund request of theirs, in the mode of its key. */
    reader: { kind: 'agent' } | { kind: 'merchant'; merchantId: string; livemode: boolean; caseKind?: 'dispute' | 'refund_request' };
  }): Promise<EvidenceFileDownload> {
    const em = this.em.fork();
    const notFound = new DomainError(DomainErrorCode.NotFound, `No evidence file ${command.fileId}.`);
    if (command.reader.kind === 'merchant') {
      const findOwned = command.reader.caseKind === 'refund_request' ? findOwnedRefundRequest : findOwnedDispute;
      await findOwned(em, { id: command.reader.merchantId, livemode: command.reader.livemode }, command.caseId);
    }
    if (!UUID.test(command.fileId) || !UUID.test(command.caseId)) throw notFound;
    const file = await em.findOne(
      EvidenceFileEntity,
      command.reader.kind === 'merchant'
        ? {
            id: command.fileId,
            caseId: command.caseId,
            $or: [
              { uploadedByKind: 'merchant', uploadedById: command.reader.merchantId },
              { party: 'customer', sharedWithMerchantAt: { $ne: null } },
            ],
          }
        : { id: command.fileId, caseId: command.caseId },
    );
    if (!file) throw notFound;
    return { stream: await this.storage.open(file.storageKey), filename: file.originalName, contentType: file.contentType, sizeBytes: file.sizeBytes };
  }
}
