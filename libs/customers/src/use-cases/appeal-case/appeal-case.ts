import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { SendCaseEvent } from '@app/cases';
import { Clock } from '@app/config';
import { DomainError, DomainErrorCode, definitionFor } from '@app/domain';
import { customerActor } from '../../cases/customer-actor';
import { findCustomerCase, type CustomerCaseView } from '../../cases/customer-case-view';
import { CustomerCaseViews } from '../../cases/customer-case-views';
import type { CustomerLocale } from '../../cases/customer-texts';

export function appealWindowClosed(caseId: string, closedAt: Date | null): DomainError {
  return new DomainError(DomainErrorCode.AppealWindowClosed, 'The time to appeal this decision has passed.', { caseId, closedAt: closedAt?.toISOString() ?? null });
}

/**
 * The customer appeals the decision (once), within the appeal window. The window is judged inside
 * the command's transaction, with the case and its deadlines locked: once its deadline has passed
 * (even if the closing job has not run yet) or the case has closed, the answer is 422
 * APPEAL_WINDOW_CLOSED and nothing changes. Everything else (appealed already, not decided) is the
 * machine's 409.
 */
@Injectable()
export class AppealCase {
  constructor(
    private readonly em: EntityManager,
    private readonly sendCaseEvent: SendCaseEvent,
    private readonly views: CustomerCaseViews,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: { customerId: string; caseId: string; reason: string; locale: CustomerLocale }): Promise<CustomerCaseView> {
    const entity = await findCustomerCase(this.em.fork(), command.customerId, command.caseId);
    if (!definitionFor(entity.kind, entity.machineVersion).events.APPEAL) {
      throw new DomainError(DomainErrorCode.EventNotAllowed, 'A case of this kind cannot be appealed.', { caseId: entity.id, event: 'APPEAL', allowedEvents: [] });
    }
    const actor = customerActor(command.customerId);
    const appeal = { caseId: command.caseId, event: { type: 'APPEAL', reason: command.reason } };
    const applied = await this.sendCaseEvent.transaction(appeal, async ({ em, sql }) => {
      const locked = await this.sendCaseEvent.lock(sql, command.caseId, actor);
      const [row] = await em.getConnection().execute<Array<{ state: string; window_due_at: Date | null; closed_at: Date | null }>>(
        `select c.state,
           (select d.due_at from deadlines d where d.case_id = c.id and d.kind = 'machine' and d.name = 'appealWindow' and d.status = 'pending' order by d.due_at limit 1) as window_due_at,
           (select d.due_at from deadlines d where d.case_id = c.id and d.kind = 'machine' and d.name = 'appealWindow' order by d.due_at desc limit 1) as closed_at
         from cases c where c.id = ?`,
        [command.caseId],
        'all',
        em.getTransactionContext(),
      );
      const now = this.clock.now();
      const windowDue = row?.window_due_at ? new Date(row.window_due_at) : null;
      if (row?.state === 'closed' || (windowDue !== null && windowDue.getTime() <= now.getTime())) {
        throw appealWindowClosed(command.caseId, windowDue ?? (row?.closed_at ? new Date(row.closed_at) : null));
      }
      return this.sendCaseEvent.apply(sql, locked, appeal, actor);
    });
    await this.sendCaseEvent.publish(applied);
    return this.views.one(command.customerId, command.caseId, command.locale);
  }
}
