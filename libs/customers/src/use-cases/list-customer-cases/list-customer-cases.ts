import { IsolationLevel } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CaseEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import type { CustomerCaseView } from '../../cases/customer-case-view';
import { CustomerCaseViews } from '../../cases/customer-case-views';
import type { CustomerLocale } from '../../cases/customer-texts';

export const MAX_CUSTOMER_PAGE = 50;

export interface ListCustomerCasesQuery {
  customerId: string;
  cursor?: string;
  limit?: number;
  locale: CustomerLocale;
}

export interface CustomerCasePage {
  object: 'list';
  data: CustomerCaseView[];
  has_more: boolean;
  next_cursor: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeCursor(cursor: string): { created: Date; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string' && UUID.test(value[1])) {
      const created = new Date(value[0]);
      if (!Number.isNaN(created.getTime()) && created.toISOString() === value[0]) return { created, id: value[1] };
    }
  } catch {
    // fall through
  }
  throw new DomainError(DomainErrorCode.ValidationFailed, 'The cursor is not one this API returned.', { fields: [{ path: 'cursor', message: 'invalid cursor' }] });
}

/** The customer's own cases, newest first, keyset-paginated on (created, id). */
@Injectable()
export class ListCustomerCases {
  constructor(
    private readonly em: EntityManager,
    private readonly views: CustomerCaseViews,
  ) {}

  async execute(query: ListCustomerCasesQuery): Promise<CustomerCasePage> {
    const limit = Math.min(Math.max(query.limit ?? 20, 1), MAX_CUSTOMER_PAGE);
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    return this.em.fork().transactional(
      async (em) => {
        const entities = await em.find(
          CaseEntity,
          after
            ? { customerId: query.customerId, $or: [{ createdAt: { $lt: after.created } }, { createdAt: after.created, id: { $lt: after.id } }] }
            : { customerId: query.customerId },
          { orderBy: { createdAt: 'desc', id: 'desc' }, limit: limit + 1 },
        );
        const page = entities.slice(0, limit);
        const last = page[page.length - 1];
        const hasMore = entities.length > limit;
        return {
          object: 'list' as const,
          data: await this.views.render(em, page, query.locale),
          has_more: hasMore,
          next_cursor: hasMore && last ? Buffer.from(JSON.stringify([last.createdAt.toISOString(), last.id])).toString('base64url') : null,
        };
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );
  }
}
