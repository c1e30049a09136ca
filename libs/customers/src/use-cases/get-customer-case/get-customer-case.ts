import { Injectable } from '@nestjs/common';
import type { CustomerCaseView } from '../../cases/customer-case-view';
import { CustomerCaseViews } from '../../cases/customer-case-views';
import type { CustomerLocale } from '../../cases/customer-texts';

/** One of the customer's cases in their terms; another customer's is the same 404 as none. */
@Injectable()
export class GetCustomerCase {
  constructor(private readonly views: CustomerCaseViews) {}

  execute(query: { customerId: string; caseId: string; locale: CustomerLocale }): Promise<CustomerCaseView> {
    return this.views.one(query.customerId, query.caseId, query.locale);
  }
}
