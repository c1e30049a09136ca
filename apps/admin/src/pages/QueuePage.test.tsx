import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Outlet, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Agent, CaseSummary } from '../api/types';
import type { Locale } from '../i18n/i18n';
import { renderWithProviders } from '../test/render';
import { QueuePage } from './QueuePage';

const ANN: Agent = { id: 'a0000000-0000-4000-8000-000000000001', email: 'ann@test', displayName: 'Ann', role: 'agent', locale: 'en' };

const summary = (id: string, subject: string, livemode: boolean): CaseSummary => ({
  id,
  kind: 'dispute',
  state: 'awaitingMerchant',
  status: 'active',
  version: 2,
  priority: 'normal',
  channel: 'app',
  subject,
  customer: { id: 'u_1', name: null },
  merchantId: 'm_1',
  livemode,
  testClockId: null,
  transactionRef: 'TX-1',
  amount: { amountMinor: 10_000, currency: 'CNY' },
  assignee: null,
  nextDeadlineAt: null,
  createdAt: '2026-12-03T01:00:00Z',
  updatedAt: '2026-12-03T01:00:00Z',
});

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

/** The API as the queue sees it: live cases unless `livemode=false` is asked for, as the real one answers. */
function mockApi() {
  const caseQueries: URLSearchParams[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const url = new URL(String(input), 'http://admin.test');
      if (url.pathname === '/v1/cases') {
        caseQueries.push(url.searchParams);
        const test = url.searchParams.get('livemode') === 'false';
        return json({
          items: [
            test
              ? summary('c2000000-0000-4000-8000-000000000002', 'Test dispute: not_received', false)
              : summary('c1000000-0000-4000-8000-000000000001', 'Parcel never arrived', true),
          ],
          nextCursor: null,
        });
      }
      if (url.pathname === '/v1/agents') return json({ items: [ANN], nextCursor: null });
      if (url.pathname.startsWith('/v1/machines')) return json({});
      throw new Error(`unexpected fetch ${url.pathname}`);
    }),
  );
  return caseQueries;
}

function renderQueue(locale: Locale = 'en') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return renderWithProviders(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={['/']}>
        <Routes>
          <Route element={<Outlet context={ANN} />}>
            <Route path="/" element={<QueuePage />} />
          </Route>
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
    locale,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe("the queue and merchants' test cases", () => {
  it('lists live cases by default; the filter shows the test cases instead, each marked Test', async () => {
    const queries = mockApi();
    renderQueue();
    const live = (await screen.findByText('Parcel never arrived')).closest('tr')!;
    expect(within(live).queryByTestId('row-test-case')).toBeNull();
    expect(queries.every((query) => !query.has('livemode'))).toBe(true);

    fireEvent.click(screen.getByTestId('filter-test-mode'));
    const test = (await screen.findByText('Test dispute: not_received')).closest('tr')!;
    expect(within(test).getByTestId('row-test-case').textContent).toBe('Test');
    await waitFor(() => expect(queries.at(-1)?.get('livemode')).toBe('false'));
    expect(screen.queryByText('Parcel never arrived')).toBeNull();
  });

  it('says so in Chinese too', async () => {
    mockApi();
    renderQueue('zh-CN');
    expect(await screen.findByText('商户测试案件')).toBeTruthy();
    fireEvent.click(screen.getByTestId('filter-test-mode'));
    const test = (await screen.findByText('Test dispute: not_received')).closest('tr')!;
    expect(within(test).getByTestId('row-test-case').textContent).toBe('测试');
  });
});
