import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CaseEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { loadEvidenceView, type EvidenceView } from '../evidence-view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Agents see every piece of evidence on a case, whoever uploaded it. */
@Injectable()
export class ListCaseEvidence {
  constructor(private readonly em: EntityManager) {}

  async execute(caseId: string): Promise<EvidenceView> {
    const em = this.em.fork();
    const exists = UUID.test(caseId) ? await em.count(CaseEntity, { id: caseId }) : 0;
    if (!exists) throw new DomainError(DomainErrorCode.CaseNotFound, `No case ${caseId}.`, { caseId });
    return loadEvidenceView(em, caseId);
  }
}
