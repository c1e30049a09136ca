import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CaseEntity, CustomerContactEntity } from '@app/db';
import { DomainError, DomainErrorCode, type CaseKind, type Channel, type Priority } from '@app/domain';
import { toContactView, type CustomerContactView } from '../customer-contact/customer-contact-record';
import { isUuid } from '../errors';
import { toSummaryView, type CaseSummaryView } from '../views/case-view';

export interface ListCasesQuery {
  kind?: CaseKind;
  state?: string;
  status?: 'active' | 'done';
  priority?: Priority;
  channel?: Channel;
  merchantId?: string;
  /** Live cases (true, the default) or merchants' test-mode cases (false): the queue never mixes the two. */
  livemode?: boolean;
  /** An agent id, or `none` for unassigned cases. */
  assigneeId?: string;
  /** Only cases an SLA breach moved to the supervisors (true) or not (false). */
  escalated?: boolean;
  /** Only cases whose next deadline or SLA breach is before this instant ("breaching soon", "overdue"). */
  dueBefore?: Date;
  /** Substring of subject, description, customer, transaction reference. */
  q?: string;
  sort?: 'nextDeadline' | 'createdAt';
  cursor?: string;
  limit?: number;
}

export interface CasePage {
  /** Each with its customer's contact, masked. */
  items: Array<CaseSummaryView & { customerContact: CustomerContactView | null }>;
  nextCursor: string | null;
}

/** Must match the expression of the trigram index in the migration, or the index is not used. */
const SEARCH_EXPR = `(coalesce(c.subject, '') || ' ' || coalesce(c.description, '') || ' ' || coalesce(c.customer_name, '') || ' ' || c.customer_id || ' ' || coalesce(c.transaction_ref, ''))`;
const DEADLINE_EXPR = `coalesce(c.next_deadline_at, 'infinity'::timestamptz)`;

function invalidCursor(): DomainError {
  return new DomainError(DomainErrorCode.ValidationFailed, 'The cursor is not one this API returned.', {
    fields: [{ path: 'cursor', message: 'invalid cursor' }],
  });
}

function encodeCursor(sortValue: string, id: string): string {
  return Buffer.from(JSON.stringify([sortValue, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      const [sortValue, id] = value as [string, string];
      // Only what encodeCursor writes: PostgreSQL must accept both values as they are.
      const validSort = sortValue === 'infinity' || (!Number.isNaN(Date.parse(sortValue)) && new Date(sortValue).toISOString() === sortValue);
      if (validSort && isUuid(id)) return [sortValue, id];
    }
  } catch {
    // fall through
  }
  throw invalidCursor();
}

/**
 * The queue's filters as SQL conditions on `cases c` (the list and its CSV export share them);
 * throws a validation error for an assignee that is not an agent id or `none`.
 */
export function caseListConditions(query: Omit<ListCasesQuery, 'sort' | 'cursor' | 'limit'>): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (query.kind) add('c.kind = ?', query.kind);
  if (query.state) add('(c.state = ? or c.state like ?)', query.state, `${query.state}.%`);
  if (query.status) add('c.status = ?', query.status);
  if (query.priority) add('c.priority = ?', query.priority);
  if (query.channel) add('c.channel = ?', query.channel);
  if (query.merchantId) add('c.merchant_id = ?', query.merchantId);
  // Merchants' test-mode cases are apart from live ones: live unless asked for.
  add('c.livemode = ?', query.livemode ?? true);
  if (query.assigneeId && query.assigneeId !== 'none' && !isUuid(query.assigneeId)) {
    throw new DomainError(DomainErrorCode.ValidationFailed, 'assigneeId must be an agent id, `me` or `none`.', {
      fields: [{ path: 'assigneeId', message: 'an agent id, me or none' }],
    });
  }
  if (query.assigneeId === 'none') add('c.assignee_id is null');
  else if (query.assigneeId) add('c.assignee_id = ?', query.assigneeId);
  if (query.escalated !== undefined) add(query.escalated ? 'c.escalated_at is not null' : 'c.escalated_at is null');
  if (query.dueBefore) add(`${DEADLINE_EXPR} < ?`, query.dueBefore);
  if (query.q) add(`${SEARCH_EXPR} ilike ?`, `%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
  return { where, params };
}

/**
 * The agent queue: filtered, keyset-paginated (stable under inserts, index-backed at any depth),
 * sorted by the next deadline (soonest first, cases without one last) or by creation time.
 */
@Injectable()
export class ListCases {
  constructor(private readonly em: EntityManager) {}

  async execute(query: ListCasesQuery): Promise<CasePage> {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
    const sort = query.sort ?? 'nextDeadline';
    const { where, params } = caseListConditions(query);
    const add = (sql: string, ...values: unknown[]) => {
      where.push(sql);
      params.push(...values);
    };

    const sortExpr = sort === 'nextDeadline' ? DEADLINE_EXPR : 'c.created_at';
    const direction = sort === 'nextDeadline' ? 'asc' : 'desc';
    if (query.cursor) {
      const [sortValue, id] = decodeCursor(query.cursor);
      add(`(${sortExpr}, c.id) ${direction === 'asc' ? '>' : '<'} (?::timestamptz, ?::uuid)`, sortValue, id);
    }

    const sql = `select c.id, ${sortExpr} as sort_value from cases c
      ${where.length ? `where ${where.join(' and ')}` : ''}
      order by ${sortExpr} ${direction}, c.id ${direction}
      limit ${limit + 1}`;
    const em = this.em.fork();
    const rows: Array<{ id: string; sort_value: Date | string | number }> = await em.getConnection().execute(sql, params);
    const pageRows = rows.slice(0, limit);
    const entities = pageRows.length ? await em.find(CaseEntity, { id: { $in: pageRows.map((row) => row.id) } }, { populate: ['assignee'] }) : [];
    const byId = new Map(entities.map((entity) => [entity.id, entity]));
    const contacts = pageRows.length ? await em.find(CustomerContactEntity, { caseId: { $in: pageRows.map((row) => row.id) } }) : [];
    const contactOf = new Map(contacts.map((contact) => [contact.caseId, contact]));
    const last = pageRows[pageRows.length - 1];
    // Through MikroORM's connection timestamps arrive as strings; 'infinity' marks a case with no deadline.
    const sortValueOf = (value: Date | string | number) => {
      if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : 'infinity';
      if (typeof value === 'number' || value === 'infinity') return 'infinity';
      return new Date(value).toISOString();
    };
    return {
      items: pageRows.map((row) => ({ ...toSummaryView(byId.get(row.id)!), customerContact: toContactView(contactOf.get(row.id)) })),
      nextCursor: rows.length > limit && last ? encodeCursor(sortValueOf(last.sort_value), last.id) : null,
    };
  }
}
