import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { screen, within } from '@testing-library/react';
import { MemoryRouter, Outlet, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Agent, QueueStats, SlaBreaches } from '../api/types';
import type { Locale } from '../i18n/i18n';
import { renderWithProviders } from '../test/render';
import SupervisorPage from './SupervisorPage';

const SUPERVISOR: Agent = { id: 'a0000000-0000-4000-8000-000000000001', email: 'chen@test', displayName: 'Chen', role: 'supervisor', locale: 'en' };
const LI = { ...SUPERVISOR, id: 'b0000000-0000-4000-8000-000000000002', email: 'li@test', displayName: 'Li Na', role: 'agent' as const };
const GONE = 'c0000000-0000-4000-8000-000000000003';
const STATS: QueueStats = { at: '2026-01-01T00:00:00Z', totals: { active: 0, overdue: 0, dueSoon: 0, unassigned: 0 }, byKindState: [], byAssignee: [] };

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Answers the page's GETs from a table; anything else is a test bug. */
function mockApi(breaches: () => Response) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL) => {
    const path = String(input);
    if (path === '/v1/stats/queues') return json(200, STATS);
    if (path === '/v1/agents?limit=200') return json(200, { data: [SUPERVISOR, LI], nextCursor: null });
    if (path === '/v1/sla/breaches') return breaches();
    throw new Error(`unexpected fetch ${path}`);
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

function renderPage(me: Agent, locale: Locale = 'en') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return renderWithProviders(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={['/supervisor']}>
        <Routes>
          <Route element={<Outlet context={me} />}>
            <Route path="/supervisor" element={<SupervisorPage />} />
          </Route>
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
    locale,
  );
}

const rowsOf = (testId: string) =>
  within(screen.getByTestId(testId))
    .getAllByRole('row')
    .slice(1)
    .map((row) =>
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    );

afterEach(() => vi.unstubAllGlobals());

describe('supervisor view', () => {
  it('shows SLA breach counts per policy and per agent, with agent names and unassigned', async () => {
    const breaches: SlaBreaches = { items: [], counts: { byPolicy: { disputes: 3, 'refunds-fast': 5 }, byAgent: { [LI.id]: 4, unassigned: 2, [GONE]: 2 } } };
    mockApi(() => json(200, breaches));
    renderPage(SUPERVISOR);
    await screen.findByText('Li Na');
    expect(rowsOf('breaches-by-policy')).toEqual([
      ['refunds-fast', '5'],
      ['disputes', '3'],
    ]);
    expect(rowsOf('breaches-by-agent')).toEqual([
      ['Li Na', '4'],
      ['Inactive agent (c0000000)', '2'],
      ['Unassigned', '2'],
    ]);
    // The job-queue dashboard is a real link now, opened in a new tab.
    const link = screen.getByTestId('queue-dashboard-link');
    expect(link.getAttribute('href')).toBe('/admin/queues');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.textContent).toBe('Queue dashboard (job queues)');
  });

  it('says when there are no breaches, in both languages', async () => {
    mockApi(() => json(200, { items: [], counts: { byPolicy: {}, byAgent: {} } }));
    const { unmount } = renderPage(SUPERVISOR);
    expect(await within(await screen.findByTestId('breaches-by-policy')).findByText('No SLA breaches.')).toBeTruthy();
    expect(within(screen.getByTestId('breaches-by-agent')).getByText('No SLA breaches.')).toBeTruthy();
    unmount();
    renderPage(SUPERVISOR, 'zh-CN');
    expect(await within(await screen.findByTestId('breaches-by-agent')).findByText('没有 SLA 超时。')).toBeTruthy();
    expect(screen.getByText('按 SLA 策略统计超时')).toBeTruthy();
    expect(screen.getByTestId('queue-dashboard-link').textContent).toBe('任务队列看板');
  });

  it('shows an error from its code, never the server text', async () => {
    mockApi(() => json(403, { code: 'FORBIDDEN', message: 'This needs the supervisor role.' }));
    renderPage(SUPERVISOR);
    expect((await screen.findByTestId('breaches-error')).textContent).toContain('Your role may not do this.');
    expect(screen.queryByText('This needs the supervisor role.')).toBeNull();
  });

  it('keeps agents out without asking for breaches', async () => {
    const fetchMock = mockApi(() => json(200, { items: [], counts: { byPolicy: {}, byAgent: {} } }));
    renderPage(LI);
    expect(await screen.findByText('Only supervisors and admins see queue depths.')).toBeTruthy();
    expect(fetchMock.mock.calls.map(([path]) => String(path))).not.toContain('/v1/sla/breaches');
  });
});
