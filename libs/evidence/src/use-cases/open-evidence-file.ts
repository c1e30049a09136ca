import type { Readable } from 'node:stream';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { EvidenceFileEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { findOwnedDispute } from '@app/merchants';
import { EvidenceStorage } from '../storage/evidence-storage';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface EvidenceFileDownload {
  stream: Readable;
  filename: string;
  contentType: string;
  sizeBytes: number;
}

/**
 * The only way to a stored file: an agent (any file of the case) or the merchant who uploaded it.
 * A file of another case, another merchant or no file at all are the same 404.
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
    reader: { kind: 'agent' } | { kind: 'merchant'; merchantId: string; livemode: boolean };
  }): Promise<EvidenceFileDownload> {
    const em = this.em.fork();
    const notFound = new DomainError(DomainErrorCode.NotFound, `No evidence file ${command.fileId}.`);
    if (command.reader.kind === 'merchant') await findOwnedDispute(em, { id: command.reader.merchantId, livemode: command.reader.livemode }, command.caseId);
    if (!UUID.test(command.fileId) || !UUID.test(command.caseId)) throw notFound;
    const file = await em.findOne(
      EvidenceFileEntity,
      command.reader.kind === 'merchant'
        ? { id: command.fileId, caseId: command.caseId, uploadedByKind: 'merchant', uploadedById: command.reader.merchantId }
        : { id: command.fileId, caseId: command.caseId },
    );
    if (!file) throw notFound;
    return { stream: await this.storage.open(file.storageKey), filename: file.originalName, contentType: file.contentType, sizeBytes: file.sizeBytes };
  }
}
