import { useQuery } from '@tanstack/react-query';
import { api, fetchAllPages } from './client';
import type { Agent, Macro, MachineDescription } from './types';

export const queryKeys = {
  me: ['me'] as const,
  agents: ['agents'] as const,
  machine: (kind: string, version: number) => ['machine', kind, version] as const,
  case: (id: string) => ['case', id] as const,
  timeline: (id: string) => ['timeline', id] as const,
  cases: ['cases'] as const,
  stats: ['stats'] as const,
  slaBreaches: ['sla', 'breaches'] as const,
  failedWork: ['failed-work'] as const,
  inbox: ['inbox'] as const,
  inboxCount: ['inbox', 'count'] as const,
  messages: (caseId: string) => ['messages', caseId] as const,
  macros: ['macros'] as const,
  approvals: ['approvals'] as const,
};

/** The inbox is polled: an agent sees a customer's reply within this long without reloading. */
export const INBOX_POLL_MS = 15_000;

export function useMe() {
  return useQuery({ queryKey: queryKeys.me, queryFn: () => api<Agent>('GET', '/v1/auth/me'), retry: false, staleTime: 60_000 });
}

/** Every active agent (all pages), for pickers and for showing names. */
export function useAgents() {
  return useQuery({ queryKey: queryKeys.agents, queryFn: () => fetchAllPages<Agent>('/v1/agents'), staleTime: 5 * 60_000 });
}

/** Every macro (all pages), sorted by title in the agent's language. */
export function useMacros(enabled = true) {
  return useQuery({ queryKey: queryKeys.macros, queryFn: () => fetchAllPages<Macro>('/v1/macros'), enabled, staleTime: 60_000 });
}

/** Machine versions never change once deployed, so a description is fetched once per session. */
export function useMachine(kind: string | undefined, version = 1) {
  return useQuery({
    queryKey: queryKeys.machine(kind ?? '', version),
    queryFn: () => api<MachineDescription>('GET', `/v1/machines/${encodeURIComponent(kind!)}/${version}`),
    enabled: Boolean(kind),
    staleTime: Infinity,
    gcTime: Infinity,
  });
}
