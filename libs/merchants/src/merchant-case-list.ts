import { UUID_PATTERN } from '@app/db';
import type { CaseKind } from '@app/domain';

/** What a merchant's lists of cases (disputes, refund requests) filter on. */
export interface MerchantCaseListFilter<TStatus extends string> {
  merchantId: string;
  /** The key's mode: test keys see test cases only, live keys live ones. */
  livemode: boolean;
  id?: string;
  status?: TStatus;
  createdAfter?: string;
  createdBefore?: string;
  /** The last row of the page before: the lists go newest first, keyset-paginated on (created, id). */
  after?: { created: string; id: string };
  limit: number;
}

/**
 * The conditions over `cases c` (`?` placeholders) both lists share: the merchant's cases of one
 * kind in the key's mode, and the filters asked for. `statusSql` is the list's own expression of
 * its status. Null when the id asked for is no uuid: no case has it.
 */
export function merchantCaseConditions(kind: CaseKind, statusSql: string, filter: MerchantCaseListFilter<string>): { where: string[]; params: unknown[] } | null {
  const where = ['c.kind = ?', 'c.merchant_id = ?', 'c.livemode = ?'];
  const params: unknown[] = [kind, filter.merchantId, filter.livemode];
  if (filter.id) {
    if (!UUID_PATTERN.test(filter.id)) return null;
    where.push('c.id = ?');
    params.push(filter.id);
  }
  if (filter.status) {
    where.push(`(${statusSql}) = ?`);
    params.push(filter.status);
  }
  if (filter.createdAfter) {
    where.push('c.created_at >= ?::timestamptz');
    params.push(filter.createdAfter);
  }
  if (filter.createdBefore) {
    where.push('c.created_at < ?::timestamptz');
    params.push(filter.createdBefore);
  }
  if (filter.after) {
    where.push('(c.created_at, c.id) < (?::timestamptz, ?::uuid)');
    params.push(filter.after.created, filter.after.id);
  }
  return { where, params };
}
