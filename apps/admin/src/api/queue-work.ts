import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { components } from './generated/schema';

/** The queue's URL parameters a view holds (GET/POST /v1/saved-views). */
export type SavedViewQuery = components['schemas']['SavedViewQueryValuesDto'];
export type SavedView = components['schemas']['SavedViewDto'];
export type CaseLink = components['schemas']['CaseLinkDto'];
/** GET /v1/cases/:id/related */
export type RelatedCases = components['schemas']['RelatedCasesDto'];

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
