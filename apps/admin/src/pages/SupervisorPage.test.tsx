import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Outlet, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Agent, FailedWorkCase, FailedWorkPage, QueueStats, SlaBreaches } from '../api/types';
import type { Locale } from '../i18n/i18n';
import { renderWithProviders } from '../test/render';
import SupervisorPage from './SupervisorPage';

const SUPERVISOR: Agent = { id: 'a0000000-0000-4000-8000-000000000001', email: 'chen@test', displayName: 'Chen', role: 'supervisor', locale: 'en' };
const LI = { ...SUPERVISOR, id: 'b0000000-0000-4000-8000-000000000002', email: 'li@test', displayName: 'Li Na', role: 'agent' as const };
const GONE = 'c0000000-0000-4000-8000-000000000003';
const STATS: QueueStats = { at: '2026-01-01T00:00:00Z', totals: { active: 0, overdue: 0, dueSoon: 0, unassigned: 0 }, byKindState: [], byAssignee: [] };

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Nothing failed: what GET /v1/failed-work answers on a good day. */
const NO_FAILED_WORK: FailedWorkPage = { data: [], total: 0 };

/**
 * Answers the page's requests from a table; anything else is a test bug. `failedWork` answers the
 * failed-work list and the redrives (method and path).
 */
function mockApi(breaches: () => Response, failedWork: (method: string, path: string) => Response = () => json(200, NO_FAILED_WORK)) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input);
    if (path === '/v1/stats/queues') return json(200, STATS);
    if (path === '/v1/agents?limit=200') return json(200, { data: [SUPERVISOR, LI], nextCursor: null });
    if (path === '/v1/sla/breaches') return breaches();
    if (path === '/v1/failed-work' || path.endsWith('/redrive')) return failedWork(init?.method ?? 'GET', path);
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

  it('keeps agents out without asking for breaches or failed work', async () => {
    const fetchMock = mockApi(() => json(200, { items: [], counts: { byPolicy: {}, byAgent: {} } }));
    renderPage(LI);
    expect(await screen.findByText('Only supervisors and admins see queue depths.')).toBeTruthy();
    const asked = fetchMock.mock.calls.map(([path]) => String(path));
    expect(asked).not.toContain('/v1/sla/breaches');
    expect(asked).not.toContain('/v1/failed-work');
  });

  describe('work that failed', () => {
    const NO_BREACHES = () => json(200, { items: [], counts: { byPolicy: {}, byAgent: {} } });
    const REFUND_FAILED: FailedWorkCase = {
      caseId: 'd0000000-0000-4000-8000-000000000004',
      kind: 'dispute',
      state: 'refunding.pending',
      subject: 'Parcel never arrived',
      livemode: true,
      oldestAt: '2026-01-01T08:00:00Z',
      effects: [{ id: 'e1', type: 'requestRefund', attempts: 8, lastError: 'wallet answered 503', writtenAt: '2026-01-01T08:00:00Z' }],
      deadlines: [{ id: 'l1', kind: 'machine', name: 'refundRetryBackoff', dueAt: '2026-01-01T09:00:00Z' }],
    };
    const WINDOW_FAILED: FailedWorkCase = {
      caseId: 'f0000000-0000-4000-8000-000000000005',
      kind: 'refund_request',
      state: 'awaitingMerchant',
      subject: 'Refund for a cancelled order',
      livemode: false,
      oldestAt: '2026-01-02T08:00:00Z',
      effects: [],
      deadlines: [{ id: 'l2', kind: 'sla', name: 'breach', dueAt: '2026-01-02T08:00:00Z' }],
    };

    it('lists each case with what failed, and a redrive sends back both its effects and its deadlines, then reads the list again', async () => {
      let listed: FailedWorkCase[] = [REFUND_FAILED, WINDOW_FAILED];
      const fetchMock = mockApi(NO_BREACHES, (method, path) => {
        if (method === 'GET') return json(200, { data: listed, total: listed.length });
        if (path === `/v1/cases/${REFUND_FAILED.caseId}/effects/redrive`) return json(200, { redriven: ['e1'] });
        if (path === `/v1/cases/${REFUND_FAILED.caseId}/deadlines/redrive`) {
          listed = [WINDOW_FAILED];
          return json(200, { redriven: [], settledAsStale: ['l1'] });
        }
        throw new Error(`unexpected ${method} ${path}`);
      });
      renderPage(SUPERVISOR);
      const card = await screen.findByTestId('failed-work');
      await within(card).findByText('Parcel never arrived');
      const [first, second] = within(card).getAllByRole('row').slice(1);
      expect(within(first!).getByRole('link').getAttribute('href')).toBe(`/cases/${REFUND_FAILED.caseId}`);
      expect(first!.textContent).toContain('Refund (attempts: 8)');
      expect(first!.textContent).toContain('Automatic retry (');
      expect(second!.textContent).toContain('SLA alarm breach (');
      expect(second!.textContent).toContain('Test mode');

      fireEvent.click(within(first!).getByTestId(`redrive-${REFUND_FAILED.caseId}`));
      expect(await screen.findByText('Sent back: 1. Settled as stale (the case has moved on): 1.')).toBeTruthy();
      await waitFor(() => expect(within(card).queryByText('Parcel never arrived')).toBeNull());
      const posts = fetchMock.mock.calls.filter(([, init]) => init?.method === 'POST').map(([path]) => String(path));
      expect(posts).toEqual([`/v1/cases/${REFUND_FAILED.caseId}/effects/redrive`, `/v1/cases/${REFUND_FAILED.caseId}/deadlines/redrive`]);
    });

    it('redrives only what a case has: deadlines alone send no effects redrive', async () => {
      const fetchMock = mockApi(NO_BREACHES, (method, path) => {
        if (method === 'GET') return json(200, { data: [WINDOW_FAILED], total: 1 });
        if (path === `/v1/cases/${WINDOW_FAILED.caseId}/deadlines/redrive`) return json(200, { redriven: ['l2'], settledAsStale: [] });
        throw new Error(`unexpected ${method} ${path}`);
      });
      renderPage(SUPERVISOR);
      fireEvent.click(await screen.findByTestId(`redrive-${WINDOW_FAILED.caseId}`));
      expect(await screen.findByText('Sent back: 1. Settled as stale (the case has moved on): 0.')).toBeTruthy();
      const posts = fetchMock.mock.calls.filter(([, init]) => init?.method === 'POST').map(([path]) => String(path));
      expect(posts).toEqual([`/v1/cases/${WINDOW_FAILED.caseId}/deadlines/redrive`]);
    });

    it('says what went through when one of the two redrives is refused, and still reads the list again', async () => {
      const fetchMock = mockApi(NO_BREACHES, (method, path) => {
        if (method === 'GET') return json(200, { data: [REFUND_FAILED], total: 1 });
        if (path.endsWith('/effects/redrive')) return json(200, { redriven: ['e1'] });
        return json(403, { code: 'FORBIDDEN', message: 'server text' });
      });
      renderPage(SUPERVISOR);
      fireEvent.click(await screen.findByTestId(`redrive-${REFUND_FAILED.caseId}`));
      expect(await screen.findByText('Only part went through (sent back: 1, settled as stale: 0). Your role may not do this.')).toBeTruthy();
      const calls = fetchMock.mock.calls.map(([path, init]) => `${init?.method ?? 'GET'} ${String(path)}`);
      expect(calls.filter((call) => call.startsWith('POST'))).toEqual([
        `POST /v1/cases/${REFUND_FAILED.caseId}/effects/redrive`,
        `POST /v1/cases/${REFUND_FAILED.caseId}/deadlines/redrive`,
      ]);
      const listReads = () => fetchMock.mock.calls.filter(([path, init]) => String(path) === '/v1/failed-work' && init?.method === 'GET').length;
      await waitFor(() => expect(listReads()).toBe(2));
    });

    it('says when a redrive is refused, from its code', async () => {
      mockApi(NO_BREACHES, (method) => (method === 'GET' ? json(200, { data: [WINDOW_FAILED], total: 1 }) : json(403, { code: 'FORBIDDEN', message: 'server text' })));
      renderPage(SUPERVISOR);
      fireEvent.click(await screen.findByTestId(`redrive-${WINDOW_FAILED.caseId}`));
      expect(await screen.findByText('Your role may not do this.')).toBeTruthy();
      expect(screen.queryByText('server text')).toBeNull();
    });

    it('says when nothing failed, and how many more wait beyond the list, in Chinese too', async () => {
      mockApi(NO_BREACHES);
      const { unmount } = renderPage(SUPERVISOR);
      expect(await within(await screen.findByTestId('failed-work')).findByText('Nothing has failed.')).toBeTruthy();
      unmount();
      mockApi(NO_BREACHES, () => json(200, { data: [WINDOW_FAILED], total: 240 }));
      renderPage(SUPERVISOR, 'zh-CN');
      const card = await screen.findByTestId('failed-work');
      expect(await within(card).findByText('共 240 个工单，显示等待最久的 1 个')).toBeTruthy();
      expect(within(card).getByText('执行失败的任务')).toBeTruthy();
      expect(within(card).getByText('重新排队')).toBeTruthy();
      expect(within(card).getByText(/^SLA 提醒 breach（/)).toBeTruthy();
    });
  });
});
