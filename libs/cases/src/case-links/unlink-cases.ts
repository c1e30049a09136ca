import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { CaseEntity, CaseLinkEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import type { Actor } from '../actor';
import { caseNotFound, isUuid } from '../errors';
import { annotate, linkKey, linkRefused } from './case-link-rows';

/** Removes a link agents made, with a timeline entry on both cases. A merge's link stays: it is the duplicate's pointer. */
@Injectable()
export class UnlinkCases {
  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: { caseId: string; otherCaseId: string }, actor: Actor): Promise<void> {
    if (!isUuid(command.caseId)) throw caseNotFound(command.caseId);
    if (!isUuid(command.otherCaseId)) throw caseNotFound(command.otherCaseId);
    const key = linkKey(command.caseId, command.otherCaseId);
    await this.em.fork().transactional(async (em) => {
      const cases = await em.find(CaseEntity, { id: { $in: [key.caseA, key.caseB] } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } });
      if (!cases.some((c) => c.id === command.caseId)) throw caseNotFound(command.caseId);
      const link = await em.findOne(CaseLinkEntity, key);
      if (!link) throw new DomainError(DomainErrorCode.NotFound, `Cases ${command.caseId} and ${command.otherCaseId} are not linked.`, key);
      if (link.kind === 'duplicate') throw linkRefused('merged', 'A merged duplicate stays linked to its original.', key);
      em.remove(link);
      const now = this.clock.now();
      for (const entity of cases) annotate(em, entity, 'case.unlinked', { linkedCaseId: entity.id === key.caseA ? key.caseB : key.caseA }, actor, now);
      await em.flush();
    });
  }
}
