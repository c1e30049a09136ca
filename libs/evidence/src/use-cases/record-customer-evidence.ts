import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CaseEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { CustomerEvidenceFiles, type CustomerEvidenceUpload } from '../customer-evidence';
import type { EvidenceFileView } from '../evidence-view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RecordCustomerEvidenceCommand extends CustomerEvidenceUpload {
  caseId: string;
  /**
   * Refuses the case as the caller sees it (another customer's case is not found; a decided one
   * takes no evidence). Runs with the case row locked, so the answer holds until the commit.
   */
  admit(entity: CaseEntity | null): void;
}

/**
 * Records the customer's evidence files on a case: from the customer's app, or from an agent on
 * the customer's behalf (a hotline caller who emailed a photo). Agents see them beside the
 * merchant's submissions.
 */
@Injectable()
export class RecordCustomerEvidence {
  constructor(
    private readonly em: EntityManager,
    private readonly files: CustomerEvidenceFiles,
  ) {}

  execute(command: RecordCustomerEvidenceCommand): Promise<{ case_id: string; files: EvidenceFileView[] }> {
    return this.files.record(command, (record) =>
      this.em.fork().transactional(async (em) => {
        // The case row lock serialises uploads to one case, so the case's byte total holds.
        const entity = UUID.test(command.caseId) ? await em.findOne(CaseEntity, { id: command.caseId }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
        command.admit(entity);
        if (!entity) throw new DomainError(DomainErrorCode.CaseNotFound, `No case ${command.caseId}.`, { caseId: command.caseId });
        return { case_id: entity.id, files: await record(em, entity.id) };
      }),
    );
  }
}
