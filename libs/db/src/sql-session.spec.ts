import { toNumberedPlaceholders } from './sql-session';

describe('toNumberedPlaceholders (MikroORM’s placeholder rules, numbered for pg)', () => {
  it('numbers every ? in order and counts them', () => {
    expect(toNumberedPlaceholders('update t set a = ?, b = ?::uuid where id in (?, ?)')).toEqual({
      text: 'update t set a = $1, b = $2::uuid where id in ($3, $4)',
      placeholders: 4,
    });
  });

  it('takes a ? in a comment or a string for a placeholder too, as MikroORM does (an apostrophe in a comment changes nothing)', () => {
    const sql = `select ? as a -- the clock's reminders, not '?'\n , ? as b`;
    expect(toNumberedPlaceholders(sql)).toEqual({ text: `select $1 as a -- the clock's reminders, not '$2'\n , $3 as b`, placeholders: 3 });
  });

  it('keeps an escaped \\? as a literal ?', () => {
    expect(toNumberedPlaceholders(`select payload \\? 'key' as has, ? as b`)).toEqual({ text: `select payload ? 'key' as has, $1 as b`, placeholders: 1 });
  });

  it('refuses ?? (an identifier placeholder), which the pooled path does not support', () => {
    expect(() => toNumberedPlaceholders('select ?? from t')).toThrow(/not supported/);
  });

  it('leaves a statement without placeholders as it is', () => {
    expect(toNumberedPlaceholders('begin')).toEqual({ text: 'begin', placeholders: 0 });
  });
});
