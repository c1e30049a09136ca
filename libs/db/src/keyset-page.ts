import { DomainError, DomainErrorCode } from '@app/domain';

/**
 * Keyset pages for the agent API's lists: `limit` rows (50 by default, at most 200) and an opaque
 * `nextCursor` naming the sort key of the last row, null on the last page. A page read after rows
 * were added or removed neither repeats nor skips the rows that stayed.
 */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** The page size asked for, within bounds (the HTTP layer refuses what is out of them first). */
export function pageSize(limit: number | undefined): number {
  return Math.min(Math.max(Math.trunc(limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
}

export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function invalidCursor(): DomainError {
  return new DomainError(DomainErrorCode.ValidationFailed, 'The cursor is not one this API returned.', {
    fields: [{ path: 'cursor', message: 'invalid cursor' }],
  });
}

/**
 * The sort key a cursor names: `arity` strings, each accepted by `valid` (so what reaches the
 * database is only what encodeCursor wrote). Anything else is a 400 VALIDATION_FAILED on `cursor`.
 */
export function decodeCursor(cursor: string, arity: number, valid: (key: string[]) => boolean = () => true): string[] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === arity && value.every((part) => typeof part === 'string' && part.length <= 1000) && valid(value as string[])) {
      return value as string[];
    }
  } catch {
    // fall through
  }
  throw invalidCursor();
}

/** The page from `limit + 1` rows read in sort order: the extra row only says whether there is more. */
export function pageOf<R, T>(rows: readonly R[], limit: number, keyOf: (row: R) => readonly string[], view: (row: R) => T): Page<T> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { data: page.map(view), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An instant as encodeCursor carries it: the exact ISO form `Date#toISOString` writes. */
export const isIsoInstant = (value: string): boolean => !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value;
