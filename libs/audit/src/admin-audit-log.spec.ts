import { changesBetween } from './admin-audit-log';

describe('changesBetween', () => {
  it('names the fields whose values differ, with both values', () => {
    const before = { name: 'A', position: 1, match: { kinds: ['dispute'] }, active: true };
    const after = { name: 'A', position: 2, match: { kinds: ['dispute', 'inquiry'] }, active: true };
    expect(changesBetween(before, after, ['name', 'position', 'match', 'active'])).toEqual({
      position: { from: 1, to: 2 },
      match: { from: { kinds: ['dispute'] }, to: { kinds: ['dispute', 'inquiry'] } },
    });
  });

  it('compares values as JSON with sorted keys: what jsonb reorders is not a change', () => {
    const stored = { en: { body: 'Hello', title: 'Hi' }, spans: [{ end: '18:00', start: '09:00' }] };
    const sent = { en: { title: 'Hi', body: 'Hello' }, spans: [{ start: '09:00', end: '18:00' }] };
    expect(changesBetween(stored, sent, ['en', 'spans'])).toEqual({});
    // Order inside arrays does matter.
    expect(changesBetween({ list: [1, 2] }, { list: [2, 1] }, ['list'])).toEqual({ list: { from: [1, 2], to: [2, 1] } });
  });

  it('records a field that appears or goes away as null on the missing side', () => {
    expect(changesBetween<{ a?: number }>({}, { a: 1 }, ['a'])).toEqual({ a: { from: null, to: 1 } });
  });
});
