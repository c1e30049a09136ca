import { IsolationLevel } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CaseEntity, CaseLinkEntity, type CaseLinkKind } from '@app/db';
import { caseNotFound, isUuid } from '../errors';
import { toSummaryView, type CaseSummaryView } from '../views/case-view';

/** How many of the customer's (or the transaction's) other cases the case page lists, newest first. */
export const RELATED_LIMIT = 50;

export interface CaseLinkView {
  case: CaseSummaryView;
  kind: CaseLinkKind;
  linkedBy: string | null;
  linkedAt: string;
}

export interface RelatedCasesView {
  caseId: string;
  /** The original this case was merged into, when it is a merged duplicate. */
  mergedInto: string | null;
  sameCustomer: CaseSummaryView[];
  sameTransaction: CaseSummaryView[];
  links: CaseLinkView[];
}

/** The case page's "related" card: the customer's other cases, the transaction's other cases, and the links agents made. */
@Injectable()
export class GetRelatedCases {
  constructor(private readonly em: EntityManager) {}

  async execute(caseId: string): Promise<RelatedCasesView> {
    if (!isUuid(caseId)) throw caseNotFound(caseId);
    return this.em.fork().transactional(
      async (em) => {
        const entity = await em.findOne(CaseEntity, { id: caseId });
        if (!entity) throw caseNotFound(caseId);
        const newestFirst = { orderBy: { createdAt: 'desc', id: 'desc' }, limit: RELATED_LIMIT, populate: ['assignee'] } as const;
        const sameCustomer = await em.find(CaseEntity, { customerId: entity.customerId, id: { $ne: entity.id } }, newestFirst);
        const sameTransaction = entity.transactionRef ? await em.find(CaseEntity, { transactionRef: entity.transactionRef, id: { $ne: entity.id } }, newestFirst) : [];
        const links = await em.find(CaseLinkEntity, { $or: [{ caseA: entity.id }, { caseB: entity.id }] }, { orderBy: { createdAt: 'asc' } });
        const others = links.map((link) => (link.caseA === entity.id ? link.caseB : link.caseA));
        const linked = others.length ? await em.find(CaseEntity, { id: { $in: others } }, { populate: ['assignee'] }) : [];
        const byId = new Map(linked.map((other) => [other.id, other]));
        const context = (entity.snapshot as { context?: { mergedInto?: unknown } }).context;
        return {
          caseId: entity.id,
          mergedInto: typeof context?.mergedInto === 'string' ? context.mergedInto : null,
          sameCustomer: sameCustomer.map(toSummaryView),
          sameTransaction: sameTransaction.map(toSummaryView),
          links: links.flatMap((link, index) => {
            const other = byId.get(others[index]!);
            return other ? [{ case: toSummaryView(other), kind: link.kind, linkedBy: link.createdBy, linkedAt: link.createdAt.toISOString() }] : [];
          }),
        };
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );
  }
}
