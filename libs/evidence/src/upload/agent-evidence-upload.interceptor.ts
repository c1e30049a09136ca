import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CaseEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { customerEvidenceLocked } from '../evidence-rules';
import { EvidenceUploadParser, type UploadForm, type UploadRequest } from './evidence-upload.interceptor';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Agents upload to any case that is not finished, for the party the form names. */
@Injectable()
export class AgentEvidenceUploadInterceptor extends EvidenceUploadParser {
  protected override readonly form: UploadForm = { fields: { category: 64, party: 16 }, requireFile: true };

  protected override async findCase(request: UploadRequest, em: EntityManager): Promise<CaseEntity> {
    const caseId = String(request.params.id);
    const entity = UUID.test(caseId) ? await em.findOne(CaseEntity, { id: caseId }) : null;
    if (!entity) throw new DomainError(DomainErrorCode.CaseNotFound, `No case ${caseId}.`, { caseId });
    return entity;
  }

  protected override refusalNow(_request: UploadRequest, entity: CaseEntity): DomainError | null {
    return entity.status === 'done' ? customerEvidenceLocked(entity.id) : null;
  }
}
