import type { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { SqlTransactions, type CaseEntity } from '@app/db';
import { SlaCatalogue } from '@app/sla';
import { readCustomerCase } from './customer-case-read';
import { customerCaseNotFound, isCaseId, loadCustomerViewRows, toCustomerCaseView, type CustomerCaseView } from './customer-case-view';
import type { CustomerLocale } from './customer-texts';

/** Renders cases for their customer: deadlines, SLA clocks and the calendar read once for a page. */
@Injectable()
export class CustomerCaseViews {
  constructor(
    private readonly sqlTransactions: SqlTransactions,
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

  /** One of the customer's cases as it is now (one consistent snapshot of its rows, readCustomerCase); another customer's is the same 404 as none. */
  async one(customerId: string, caseId: string, locale: CustomerLocale): Promise<CustomerCaseView> {
    const read = isCaseId(caseId) ? await readCustomerCase(this.sqlTransactions, customerId, caseId) : null;
    if (!read) throw customerCaseNotFound(caseId);
    const { entity, ...rows } = read;
    return toCustomerCaseView(entity, { ...rows, calendar: (await this.sla.forPolicy(entity.slaPolicyId))?.calendar, now: this.clock.now(), locale });
  }
}
