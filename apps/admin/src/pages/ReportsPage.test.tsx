import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, screen, within } from '@testing-library/react';
import { MemoryRouter, Outlet, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Report } from '../api/reports';
import type { Agent } from '../api/types';
import type { Locale } from '../i18n/i18n';
import { renderWithProviders } from '../test/render';
import ReportsPage from './ReportsPage';

const SUPERVISOR: Agent = { id: 'a0000000-0000-4000-8000-000000000001', email: 'chen@test', displayName: 'Chen', role: 'supervisor', locale: 'en' };
const LI = { ...SUPERVISOR, id: 'b0000000-0000-4000-8000-000000000002', email: 'li@test', displayName: 'Li Na', role: 'agent' as const };
const FILTERS = { from: '2026-11-30', to: '2026-12-01', timeZone: 'Asia/Shanghai', interval: 'day' as const };

const VOLUME: Report = {
  report: 'volume',
  filters: FILTERS,
  generatedAt: '2026-12-01T00:00:00Z',
  totals: { opened: 7, closed: 3 },
  periods: [
    { period: '2026-11-30', opened: 4, closed: 1 },
    { period: '2026-12-01', opened: 3, closed: 2 },
  ],
};
const SLA: Report = {
  report: 'sla-compliance',
  filters: FILTERS,
  generatedAt: '2026-12-01T00:00:00Z',
  totals: { met: 3, breached: 1, rate: 0.75 },
  byPolicy: [{ policyId: 'disputes', name: 'Disputes', met: 3, breached: 1, rate: 0.75 }],
  byAgent: [
    { agentId: LI.id, displayName: 'Li Na', met: 2, breached: 1, rate: 2 / 3 },
    { agentId: null, displayName: null, met: 1, breached: 0, rate: 1 },
  ],
  byWeek: [{ week: '2026-11-30', met: 3, breached: 1, rate: 0.75 }],
};

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function mockApi(reports: (path: string) => Response) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL) => {
    const path = String(input);
    if (path === '/v1/agents?limit=200') return json(200, { data: [SUPERVISOR, LI], nextCursor: null });
    if (path === '/v1/sla/policies?limit=200') return json(200, { data: [{ id: 'disputes', name: 'Disputes' }], nextCursor: null });
    if (path.startsWith('/v1/reports/')) return reports(path);
    throw new Error(`unexpected fetch ${path}`);
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

function renderPage(me: Agent, locale: Locale = 'en') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return renderWithProviders(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={['/reports']}>
        <Routes>
          <Route element={<Outlet context={me} />}>
            <Route path="/reports" element={<ReportsPage />} />
          </Route>
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
    locale,
  );
}

const rowsOf = (scope: HTMLElement) =>
  within(scope)
    .getAllByRole('row')
    .slice(1)
    .map((row) =>
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    );

afterEach(() => vi.unstubAllGlobals());

describe('reports page', () => {
  it('shows the opened/closed report with its table, and its CSV link carries the same filters', async () => {
    const fetchMock = mockApi((path) => json(200, path.startsWith('/v1/reports/volume') ? VOLUME : SLA));
    renderPage(SUPERVISOR);
    const card = await screen.findByTestId('report-volume');
    expect(rowsOf(within(card).getByTestId('report-table'))).toEqual([
      ['2026-11-30', '4', '1'],
      ['2026-12-01', '3', '2'],
    ]);
    expect(within(card).getByTestId('report-chart')).toBeTruthy();
    expect(screen.getByTestId('report-csv').getAttribute('href')).toBe('/v1/reports/volume/csv?interval=day');
    expect(fetchMock.mock.calls.map(([path]) => String(path))).toContain('/v1/reports/volume?interval=day');

    fireEvent.change(screen.getByTestId('report-from'), { target: { value: '2026-11-01' } });
    expect(screen.getByTestId('report-csv').getAttribute('href')).toBe('/v1/reports/volume/csv?interval=day&from=2026-11-01');
  }, 180_000);

  it('shows SLA compliance per policy and per agent, unassigned included, in Chinese too', async () => {
    mockApi(() => json(200, SLA));
    renderPage(SUPERVISOR, 'zh-CN');
    fireEvent.click(await screen.findByText('SLA 达成率', { selector: '.ant-segmented-item-label' }));
    const card = await screen.findByTestId('report-sla-compliance');
    const [policies, agents, weeks] = within(card).getAllByTestId('report-table');
    expect(rowsOf(policies!)).toEqual([['Disputes', '3', '1', '75.0 %']]);
    expect(rowsOf(agents!)).toEqual([
      ['Li Na', '2', '1', '66.7 %'],
      ['未分配', '1', '0', '100.0 %'],
    ]);
    expect(rowsOf(weeks!)).toEqual([['2026-11-30', '3', '1', '75.0 %']]);
    expect(screen.getByTestId('report-csv').getAttribute('href')).toBe('/v1/reports/sla-compliance/csv?interval=day');
  }, 180_000);

  it('shows a refused filter by its error code, never the server text', async () => {
    mockApi(() => json(400, { code: 'VALIDATION_FAILED', message: 'The range ends before it starts.', fields: [{ path: 'to', message: 'not before from' }] }));
    renderPage(SUPERVISOR);
    const error = await screen.findByTestId('report-error');
    expect(error.textContent).not.toContain('The range ends before it starts.');
    expect(error.textContent?.length).toBeGreaterThan(0);
  });

  it('keeps agents out without asking for a report', async () => {
    const fetchMock = mockApi(() => json(200, VOLUME));
    renderPage(LI);
    expect(await screen.findByText('Reports are for supervisors and admins.')).toBeTruthy();
    expect(fetchMock.mock.calls.map(([path]) => String(path)).some((path) => path.startsWith('/v1/reports/'))).toBe(false);
  });
});
