import { IsolationLevel } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import type { CaseEntity } from '@app/db';
import { SlaCatalogue } from '@app/sla';
import { findCustomerCase, loadCustomerViewRows, toCustomerCaseView, type CustomerCaseView } from './customer-case-view';
import type { CustomerLocale } from './customer-texts';

/** Renders cases for their customer: deadlines, SLA clocks and the calendar read once for a page. */
@Injectable()
export class CustomerCaseViews {
  constructor(
    private readonly em: EntityManager,
    private readonly sla: SlaCatalogue,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async render(em: EntityManager, entities: CaseEntity[], locale: CustomerLocale): Promise<CustomerCaseView[]> {
    if (entities.length === 0) return [];
    const rows = await loadCustomerViewRows(
      em,
      entities.map((entity) => entity.id),
    );
    const now = this.clock.now();
    return Promise.all(
      entities.map(async (entity) =>
        toCustomerCaseView(entity, {
          deadlines: rows.deadlinesOf(entity.id),
          clocks: rows.clocksOf(entity.id),
          calendar: (await this.sla.forPolicy(entity.slaPolicyId))?.calendar,
          rating: rows.ratingOf(entity.id),
          refundExpectedBy: rows.refundExpectedByOf(entity.id),
          customerEvidence: rows.customerEvidenceOf(entity.id),
          now,
          locale,
        }),
      ),
    );
  }

  /** One of the customer's cases as it is now (one consistent snapshot of its rows). */
  one(customerId: string, caseId: string, locale: CustomerLocale): Promise<CustomerCaseView> {
    return this.em.fork().transactional(
      async (em) => {
        const entity = await findCustomerCase(em, customerId, caseId);
        const [view] = await this.render(em, [entity], locale);
        return view!;
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );
  }
}
