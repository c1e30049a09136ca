import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { CaseEntity, CaseLinkEntity } from '@app/db';
import type { Actor } from '../actor';
import { caseNotFound, isUuid } from '../errors';
import { annotate, linkKey, linkRefused } from './case-link-rows';

/**
 * Links two cases an agent sees as related (any two: the same complaint on two channels, a
 * dispute and the refund request about the same purchase). Symmetrical: one row, and a timeline
 * entry on both cases. Linking cases already linked changes nothing.
 */
@Injectable()
export class LinkCases {
  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: { caseId: string; otherCaseId: string }, actor: Actor): Promise<{ linked: boolean }> {
    if (!isUuid(command.caseId)) throw caseNotFound(command.caseId);
    if (!isUuid(command.otherCaseId)) throw caseNotFound(command.otherCaseId);
    if (command.caseId === command.otherCaseId) throw linkRefused('same_case', 'A case cannot be linked to itself.');
    const key = linkKey(command.caseId, command.otherCaseId);
    return this.em.fork().transactional(async (em) => {
      // Both rows in id order, the order every two-case command takes, so two linkers cannot deadlock.
      const cases = await em.find(CaseEntity, { id: { $in: [key.caseA, key.caseB] } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } });
      for (const id of [command.caseId, command.otherCaseId]) if (!cases.some((c) => c.id === id)) throw caseNotFound(id);
      if (await em.findOne(CaseLinkEntity, key)) return { linked: false };
      const now = this.clock.now();
      em.create(CaseLinkEntity, { ...key, kind: 'related', createdBy: actor.kind === 'agent' ? actor.id : null, createdAt: now });
      for (const entity of cases) {
        annotate(em, entity, 'case.linked', { linkedCaseId: entity.id === key.caseA ? key.caseB : key.caseA }, actor, now);
      }
      await em.flush();
      return { linked: true };
    });
  }
}
