import { describe, expect, it } from 'vitest';
import { queueQuery, readQueueUrl, toSearchParams } from './queue-url';

describe('the queue in its URL', () => {
  it('round-trips tab, filters, search and sort', () => {
    const params = new URLSearchParams('tab=byKind&kind=dispute&state=investigation.reviewing&priority=high&channel=hotline&q=王&sort=createdAt');
    const state = readQueueUrl(params);
    expect(state).toEqual({ tab: 'byKind', kind: 'dispute', state: 'investigation.reviewing', priority: 'high', channel: 'hotline', q: '王', sort: 'createdAt' });
    expect(readQueueUrl(toSearchParams(queueQuery(state)))).toEqual(state);
  });

  it('falls back to the defaults for unknown values and leaves defaults out of links', () => {
    const state = readQueueUrl(new URLSearchParams('tab=everything&kind=chargeback&state=drop%20table&priority=meh&sort=random&q=%20%20'));
    expect(state).toEqual({ tab: 'mine', kind: undefined, state: undefined, priority: undefined, channel: undefined, q: undefined, sort: 'nextDeadline' });
    expect(queueQuery(state)).toEqual({});
    // A state filter needs its kind.
    expect(queueQuery({ ...state, state: 'open' })).toEqual({});
  });
});
