import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Agent, MachineDescription } from './types';

export const queryKeys = {
  me: ['me'] as const,
  agents: ['agents'] as const,
  machine: (kind: string, version: number) => ['machine', kind, version] as const,
  case: (id: string) => ['case', id] as const,
  timeline: (id: string) => ['timeline', id] as const,
  cases: ['cases'] as const,
  stats: ['stats'] as const,
  slaBreaches: ['sla', 'breaches'] as const,
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

export function useAgents() {
  return useQuery({ queryKey: queryKeys.agents, queryFn: () => api<Agent[]>('GET', '/v1/agents'), staleTime: 5 * 60_000 });
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
