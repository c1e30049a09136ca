import { CASE_KINDS, CHANNELS, PRIORITIES } from '@domain/cases/case-kind';
import type { SavedViewQuery } from '../api/queue-work';

export const QUEUE_TABS = ['mine', 'unassigned', 'dueSoon', 'overdue', 'byKind'] as const;
export type TabKey = (typeof QUEUE_TABS)[number];
export const QUEUE_SORTS = ['nextDeadline', 'createdAt'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

/** The queue as the URL says it: what a shared link or a saved view restores. */
export interface QueueUrlState {
  tab: TabKey;
  kind?: string;
  state?: string;
  priority?: string;
  channel?: string;
  q?: string;
  sort: QueueSort;
  /** Merchants' test-mode cases instead of live ones (`livemode=false`, as the API says it). */
  testMode?: boolean;
}

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined => values.find((candidate) => candidate === value);

/** Reads the queue from URL parameters; anything unknown (an old link, a typo) falls back to the default rather than failing. */
export function readQueueUrl(params: URLSearchParams): QueueUrlState {
  const state = params.get('state');
  const q = params.get('q')?.trim();
  return {
    tab: oneOf(QUEUE_TABS, params.get('tab')) ?? 'mine',
    kind: oneOf(CASE_KINDS, params.get('kind')),
    state: state && /^[A-Za-z]+(\.[A-Za-z]+)*$/.test(state) ? state : undefined,
    priority: oneOf(PRIORITIES, params.get('priority')),
    channel: oneOf(CHANNELS, params.get('channel')),
    q: q ? q.slice(0, 200) : undefined,
    sort: oneOf(QUEUE_SORTS, params.get('sort')) ?? 'nextDeadline',
    testMode: params.get('livemode') === 'false' || undefined,
  };
}

/** The parameters for a queue state, defaults left out so links stay short; also what a saved view stores. */
export function queueQuery(state: QueueUrlState): SavedViewQuery {
  const query: SavedViewQuery = {};
  if (state.tab !== 'mine') query.tab = state.tab;
  if (state.kind) query.kind = state.kind;
  if (state.kind && state.state) query.state = state.state;
  if (state.priority) query.priority = state.priority;
  if (state.channel) query.channel = state.channel;
  if (state.q) query.q = state.q;
  if (state.sort !== 'nextDeadline') query.sort = state.sort;
  if (state.testMode) query.livemode = 'false';
  return query;
}

export function toSearchParams(query: SavedViewQuery): URLSearchParams {
  return new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
}
