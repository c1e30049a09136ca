import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { CaseSummary } from './types';

/** The queue's URL parameters a view holds (GET/POST /v1/saved-views). */
export type SavedViewQuery = Partial<Record<'tab' | 'kind' | 'state' | 'priority' | 'channel' | 'q' | 'sort' | 'livemode', string>>;

export interface SavedView {
  id: string;
  name: string;
  query: SavedViewQuery;
  shared: boolean;
  owner: { id: string; displayName: string | null };
  mine: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface CaseLink {
  case: CaseSummary;
  kind: 'related' | 'duplicate';
  linkedBy: string | null;
  linkedAt: string;
}

/** GET /v1/cases/:id/related */
export interface RelatedCases {
  caseId: string;
  mergedInto: string | null;
  sameCustomer: CaseSummary[];
  sameTransaction: CaseSummary[];
  links: CaseLink[];
}

export const queueWorkKeys = {
  savedViews: ['saved-views'] as const,
  related: (caseId: string) => ['related', caseId] as const,
};

export function useSavedViews() {
  return useQuery({ queryKey: queueWorkKeys.savedViews, queryFn: () => api<SavedView[]>('GET', '/v1/saved-views'), staleTime: 30_000 });
}

export function useRelatedCases(caseId: string) {
  return useQuery({ queryKey: queueWorkKeys.related(caseId), queryFn: () => api<RelatedCases>('GET', `/v1/cases/${encodeURIComponent(caseId)}/related`) });
}
