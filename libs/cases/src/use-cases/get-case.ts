import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CaseEntity, DeadlineEntity } from '@app/db';
import { senderOf, type Actor } from '../actor';
import { caseNotFound, isUuid } from '../errors';
import { toCaseView, type CaseView } from '../views/case-view';

@Injectable()
export class GetCase {
  constructor(private readonly em: EntityManager) {}

  async execute(caseId: string, actor: Actor): Promise<CaseView> {
    if (!isUuid(caseId)) throw caseNotFound(caseId);
    const em = this.em.fork();
    const entity = await em.findOne(CaseEntity, { id: caseId }, { populate: ['assignee'] });
    if (!entity) throw caseNotFound(caseId);
    const deadlines = await em.find(DeadlineEntity, { caseId, status: 'pending' });
    return toCaseView(entity, deadlines, senderOf(actor));
  }
}
