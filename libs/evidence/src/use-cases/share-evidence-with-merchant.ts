import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { CaseEntity, CaseEventEntity, EvidenceFileEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { toFileView, type EvidenceFileView } from '../evidence-view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An agent shows one of the customer's files to the merchant of the case (e.g. the photo of the
 * damage, so the merchant can concede). Customer files stay private unless an agent chooses this,
 * one file at a time; the timeline records who shared what. Sharing a shared file changes nothing.
 */
@Injectable()
export class ShareEvidenceWithMerchant {
  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: { caseId: string; fileId: string; agentId: string }): Promise<EvidenceFileView> {
    if (!UUID.test(command.caseId)) throw new DomainError(DomainErrorCode.CaseNotFound, `No case ${command.caseId}.`, { caseId: command.caseId });
    return this.em.fork().transactional(async (em) => {
      const entity = await em.findOne(CaseEntity, { id: command.caseId }, { fields: ['id', 'state', 'version', 'merchantId'] });
      if (!entity) throw new DomainError(DomainErrorCode.CaseNotFound, `No case ${command.caseId}.`, { caseId: command.caseId });
      const file = UUID.test(command.fileId) ? await em.findOne(EvidenceFileEntity, { id: command.fileId, caseId: entity.id, party: 'customer' }) : null;
      if (!file) throw new DomainError(DomainErrorCode.NotFound, `No customer evidence file ${command.fileId} on this case.`);
      if (!entity.merchantId) throw new DomainError(DomainErrorCode.MerchantNotAParty, 'This case has no merchant to share the file with.', { caseId: entity.id });
      if (!file.sharedWithMerchantAt) {
        const now = this.clock.now();
        file.sharedWithMerchantAt = now;
        file.sharedBy = command.agentId;
        em.create(CaseEventEntity, {
          caseId: entity.id,
          category: 'annotation',
          type: 'evidence.shared_with_merchant',
          actorKind: 'agent',
          actorId: command.agentId,
          fromState: entity.state,
          toState: entity.state,
          caseVersion: entity.version,
          payload: { fileId: file.id, filename: file.originalName, category: file.category, merchantId: entity.merchantId },
          createdAt: now,
        });
        await em.flush();
      }
      return toFileView(file);
    });
  }
}
