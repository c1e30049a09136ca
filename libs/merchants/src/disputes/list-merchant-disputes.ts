import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DomainError, DomainErrorCode } from '@app/domain';
import { queryMerchantDisputes, type MerchantDisputeStatus, type MerchantDisputeView } from './merchant-dispute-view';

export interface ListMerchantDisputesQuery {
  merchantId: string;
  /** The key's mode: test keys list only test disputes, live keys only live ones. */
  livemode: boolean;
  status?: MerchantDisputeStatus;
  dueBefore?: string;
  createdAfter?: string;
  createdBefore?: string;
  cursor?: string;
  limit?: number;
}

export interface MerchantDisputePage {
  object: 'list';
  data: MerchantDisputeView[];
  has_more: boolean;
  next_cursor: string | null;
}

export function decodeCursor(cursor: string): { created: string; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    // Only what this API wrote: PostgreSQL must accept both values as they are.
    if (
      Array.isArray(value) &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      !Number.isNaN(Date.parse(value[0])) &&
      new Date(value[0]).toISOString() === value[0] &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value[1])
    ) {
      return { created: value[0], id: value[1] };
    }
  } catch {
    // fall through
  }
  throw new DomainError(DomainErrorCode.ValidationFailed, 'The cursor is not one this API returned.', { fields: [{ path: 'cursor', message: 'invalid cursor' }] });
}

@Injectable()
export class ListMerchantDisputes {
  constructor(private readonly em: EntityManager) {}

  async execute(query: ListMerchantDisputesQuery): Promise<MerchantDisputePage> {
    const limit = Math.min(Math.max(query.limit ?? 20, 1), 100);
    const views = await queryMerchantDisputes(this.em.fork(), {
      merchantId: query.merchantId,
      livemode: query.livemode,
      status: query.status,
      dueBefore: query.dueBefore,
      createdAfter: query.createdAfter,
      createdBefore: query.createdBefore,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: limit + 1,
    });
    const page = views.slice(0, limit);
    const last = page[page.length - 1];
    const hasMore = views.length > limit;
    return {
      object: 'list',
      data: page,
      has_more: hasMore,
      next_cursor: hasMore && last ? Buffer.from(JSON.stringify([last.created, last.id])).toString('base64url') : null,
    };
  }
}
