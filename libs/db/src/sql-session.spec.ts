import { toNumberedPlaceholders } from './sql-session';

describe('toNumberedPlaceholders', () => {
  it('numbers every ? in order', () => {
    expect(toNumberedPlaceholders('update t set a = ?, b = ?::uuid where id in (?, ?)')).toBe('update t set a = $1, b = $2::uuid where id in ($3, $4)');
  });

  it('leaves a ? inside a string literal or a quoted identifier alone', () => {
    expect(toNumberedPlaceholders(`select '?' as "a?", ? as b, 'it''s ?' as c, ?`)).toBe(`select '?' as "a?", $1 as b, 'it''s ?' as c, $2`);
  });

  it('leaves a statement without placeholders as it is', () => {
    expect(toNumberedPlaceholders('begin')).toBe('begin');
  });
});
