import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { decodeCursor } from '../disputes/list-merchant-disputes';
import { queryMerchantRefundRequests, type MerchantRefundRequestStatus, type MerchantRefundRequestView } from './merchant-refund-request-view';

export interface ListMerchantRefundRequestsQuery {
  merchantId: string;
  livemode: boolean;
  status?: MerchantRefundRequestStatus;
  createdAfter?: string;
  createdBefore?: string;
  cursor?: string;
  limit?: number;
}

export interface MerchantRefundRequestPage {
  object: 'list';
  data: MerchantRefundRequestView[];
  has_more: boolean;
  next_cursor: string | null;
}

/** The merchant's refund requests, newest first, with the disputes list's cursor rules. */
@Injectable()
export class ListMerchantRefundRequests {
  constructor(private readonly em: EntityManager) {}

  async execute(query: ListMerchantRefundRequestsQuery): Promise<MerchantRefundRequestPage> {
    const limit = Math.min(Math.max(query.limit ?? 20, 1), 100);
    const views = await queryMerchantRefundRequests(this.em.fork(), {
      merchantId: query.merchantId,
      livemode: query.livemode,
      status: query.status,
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
