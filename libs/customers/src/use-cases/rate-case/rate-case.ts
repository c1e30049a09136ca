import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { DomainError, DomainErrorCode } from '@app/domain';
import { customerStatusOf } from '../../cases/customer-status';
import { findCustomerCase, type CustomerCaseView } from '../../cases/customer-case-view';
import { CustomerCaseViews } from '../../cases/customer-case-views';
import type { CustomerLocale } from '../../cases/customer-texts';

export interface RateCaseCommand {
  customerId: string;
  caseId: string;
  score: number;
  comment?: string;
  locale: CustomerLocale;
}

/** The customer rates how the case was handled: 1–5 and a comment, once, after it is resolved or closed. */
@Injectable()
export class RateCase {
  constructor(
    private readonly em: EntityManager,
    private readonly views: CustomerCaseViews,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: RateCaseCommand): Promise<CustomerCaseView> {
    if (!Number.isInteger(command.score) || command.score < 1 || command.score > 5) {
      throw new DomainError(DomainErrorCode.ValidationFailed, 'A rating is a whole number from 1 to 5.', { fields: [{ path: 'score', message: '1 to 5' }] });
    }
    await this.em.fork().transactional(async (em) => {
      const entity = await findCustomerCase(em, command.customerId, command.caseId);
      const status = customerStatusOf(entity.kind, entity.state);
      if (status !== 'resolved' && status !== 'closed') {
        throw new DomainError(DomainErrorCode.CaseNotResolved, 'A case can be rated once it is resolved.', { caseId: entity.id, status });
      }
      // The primary key makes "once" hold under concurrent requests too.
      const inserted = await em
        .getConnection()
        .execute(
          `insert into case_ratings (case_id, customer_id, score, comment, created_at) values (?, ?, ?, ?, ?) on conflict (case_id) do nothing`,
          [entity.id, command.customerId, command.score, command.comment?.trim() || null, this.clock.now()],
          'run',
          em.getTransactionContext(),
        );
      if ((inserted as { affectedRows?: number }).affectedRows === 0) {
        throw new DomainError(DomainErrorCode.AlreadyRated, 'You have already rated this case.', { caseId: entity.id });
      }
    });
    return this.views.one(command.customerId, command.caseId, command.locale);
  }
}
