import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { SendCaseEvent } from '@app/cases';
import { customerActor } from '../../cases/customer-actor';
import { findCustomerCase, type CustomerCaseView } from '../../cases/customer-case-view';
import { CustomerCaseViews } from '../../cases/customer-case-views';
import type { CustomerLocale } from '../../cases/customer-texts';

/** The customer withdraws their dispute or refund request; the machine decides whether it still can (409 otherwise). */
@Injectable()
export class WithdrawCase {
  constructor(
    private readonly em: EntityManager,
    private readonly sendCaseEvent: SendCaseEvent,
    private readonly views: CustomerCaseViews,
  ) {}

  async execute(command: { customerId: string; caseId: string; reason?: string; locale: CustomerLocale }): Promise<CustomerCaseView> {
    await findCustomerCase(this.em.fork(), command.customerId, command.caseId);
    const event = { type: 'WITHDRAW', ...(command.reason ? { reason: command.reason } : {}) };
    await this.sendCaseEvent.execute({ caseId: command.caseId, event }, customerActor(command.customerId));
    return this.views.one(command.customerId, command.caseId, command.locale);
  }
}
