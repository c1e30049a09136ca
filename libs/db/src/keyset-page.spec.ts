import { DomainError } from '@app/domain';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, decodeCursor, encodeCursor, isIsoInstant, pageOf, pageSize } from './keyset-page';

describe('keyset pages', () => {
  it('sizes a page within bounds', () => {
    expect(pageSize(undefined)).toBe(DEFAULT_PAGE_SIZE);
    expect(pageSize(0)).toBe(1);
    expect(pageSize(7)).toBe(7);
    expect(pageSize(MAX_PAGE_SIZE + 1)).toBe(MAX_PAGE_SIZE);
  });

  it('gives the next cursor only when a row beyond the page was read', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    const full = pageOf(
      rows,
      2,
      (row) => [row.id],
      (row) => row.id,
    );
    expect(full.data).toEqual(['a', 'b']);
    expect(decodeCursor(full.nextCursor!, 1)).toEqual(['b']);
    expect(
      pageOf(
        rows,
        3,
        (row) => [row.id],
        (row) => row.id,
      ),
    ).toEqual({ data: ['a', 'b', 'c'], nextCursor: null });
    expect(
      pageOf(
        [],
        3,
        (row: { id: string }) => [row.id],
        (row) => row.id,
      ),
    ).toEqual({ data: [], nextCursor: null });
  });

  it('decodes only what it encoded, of the right shape, else a VALIDATION_FAILED on the cursor', () => {
    expect(decodeCursor(encodeCursor(['名字', 'x']), 2)).toEqual(['名字', 'x']);
    const refused = (cursor: string, arity = 2, valid?: (key: string[]) => boolean) => {
      try {
        decodeCursor(cursor, arity, valid);
      } catch (error) {
        return error instanceof DomainError ? [error.code, error.details.fields] : error;
      }
      return 'accepted';
    };
    const invalid = ['VALIDATION_FAILED', [{ path: 'cursor', message: 'invalid cursor' }]];
    expect(refused('not base64 json')).toEqual(invalid);
    expect(refused(encodeCursor(['only one']))).toEqual(invalid);
    expect(refused(Buffer.from(JSON.stringify([1, 2])).toString('base64url'))).toEqual(invalid);
    expect(refused(Buffer.from(JSON.stringify({ a: 1 })).toString('base64url'))).toEqual(invalid);
    expect(refused(encodeCursor(['a', 'b']), 2, ([, id]) => id === 'c')).toEqual(invalid);
  });

  it('knows an instant as toISOString writes it', () => {
    expect(isIsoInstant('2026-01-02T03:04:05.678Z')).toBe(true);
    expect(isIsoInstant('2026-01-02')).toBe(false);
    expect(isIsoInstant('infinity')).toBe(false);
  });
});
