import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Outlet, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Agent } from '../api/types';
import type { Locale } from '../i18n/i18n';
import { renderWithProviders } from '../test/render';
import RefundPoliciesPage from './RefundPoliciesPage';

const ADMIN: Agent = { id: 'a0000000-0000-4000-8000-000000000001', email: 'admin@test', displayName: 'Admin', role: 'admin', locale: 'en' };
const SUPERVISOR: Agent = { id: 'd0000000-0000-4000-8000-000000000004', email: 'chen@test', displayName: 'Chen', role: 'supervisor', locale: 'en' };
const GLOBAL = { refundWindowDays: 30, partialRefundsAllowed: true, nonRefundableFeeMinor: 0 };

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A small stand-in for the admin API: two merchants, one with a policy of its own; PUT and DELETE applied as the API does. */
function mockApi(options: { refuse?: Response } = {}) {
  const policies = new Map<string, typeof GLOBAL>([['m_own', { refundWindowDays: 7, partialRefundsAllowed: false, nonRefundableFeeMinor: 300 }]]);
  const writes: Array<{ method: string; path: string; body: unknown }> = [];
  const view = (merchantId: string) => {
    const own = policies.get(merchantId);
    return { merchantId, source: own ? 'merchant' : 'global', ...(own ?? GLOBAL), updatedAt: own ? '2026-12-03T09:00:00Z' : null };
  };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input), 'http://admin.test');
      const method = init?.method ?? 'GET';
      if (method === 'GET' && url.pathname === '/v1/admin/merchants') {
        return json(200, {
          data: [
            { id: 'm_own', name: '优选数码', active: true, createdAt: '2026-12-01T00:00:00Z' },
            { id: 'm_plain', name: 'Plain Shop', active: true, createdAt: '2026-12-01T00:00:00Z' },
          ],
          nextCursor: null,
        });
      }
      const policy = /^\/v1\/admin\/merchants\/([^/]+)\/refund-policy$/.exec(url.pathname);
      if (policy) {
        const merchantId = policy[1]!;
        if (method === 'GET') return json(200, view(merchantId));
        writes.push({ method, path: url.pathname, body: init?.body ? JSON.parse(String(init.body)) : undefined });
        if (options.refuse) return options.refuse;
        if (method === 'PUT') policies.set(merchantId, JSON.parse(String(init!.body)));
        if (method === 'DELETE') policies.delete(merchantId);
        return json(200, view(merchantId));
      }
      throw new Error(`unexpected fetch ${method} ${url.pathname}`);
    }),
  );
  return writes;
}

function renderPage(me: Agent, locale: Locale = 'en') {
  return renderWithProviders(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter initialEntries={['/refund-policies']}>
        <Routes>
          <Route element={<Outlet context={me} />}>
            <Route path="/refund-policies" element={<RefundPoliciesPage />} />
          </Route>
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
    locale,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('refund policies page', () => {
  it("shows each merchant's policy (its own or the global one), in either language", async () => {
    mockApi();
    renderPage(ADMIN, 'zh-CN');
    const own = await screen.findByTestId('policy-m_own');
    expect(own.getAttribute('data-source')).toBe('merchant');
    expect(within(own).getByText('商家自有政策')).toBeTruthy();
    expect(within(own).getByText('7 天 · 仅全额退款 · 手续费 300（最小货币单位）')).toBeTruthy();
    const plain = await screen.findByTestId('policy-m_plain');
    expect(within(plain).getByText('全局政策')).toBeTruthy();
    expect(within(plain).queryByTestId('remove-m_plain')).toBeNull();
  });

  // The form's interactions are slow in jsdom on a busy machine: a longer limit, no assertion on time.
  it('an admin sets a policy in the form and removes one after a confirmation', { timeout: 90_000 }, async () => {
    const writes = mockApi();
    renderPage(ADMIN);
    fireEvent.click(await screen.findByTestId('edit-m_plain'));
    const days = (await screen.findByTestId('policy-window')) as HTMLInputElement;
    fireEvent.change(days, { target: { value: '14' } });
    fireEvent.change(screen.getByTestId('policy-fee'), { target: { value: '500' } });
    fireEvent.click(screen.getByTestId('policy-partial'));
    fireEvent.click(screen.getByTestId('policy-submit'));
    await waitFor(() => expect(writes).toHaveLength(1));
    expect(writes[0]).toEqual({
      method: 'PUT',
      path: '/v1/admin/merchants/m_plain/refund-policy',
      body: { refundWindowDays: 14, partialRefundsAllowed: false, nonRefundableFeeMinor: 500 },
    });
    await waitFor(() => expect(screen.getByTestId('policy-m_plain').getAttribute('data-source')).toBe('merchant'));

    fireEvent.click(screen.getByTestId('remove-m_own'));
    fireEvent.click(await screen.findByTestId('confirm-remove-m_own'));
    await waitFor(() => expect(writes.map((write) => write.method)).toEqual(['PUT', 'DELETE']));
    await waitFor(() => expect(screen.getByTestId('policy-m_own').getAttribute('data-source')).toBe('global'));
  });

  it("shows the API's refusal in the form and keeps it open", { timeout: 90_000 }, async () => {
    mockApi({ refuse: json(400, { code: 'VALIDATION_FAILED', message: 'refundWindowDays must not be greater than 3650', fields: [] }) });
    renderPage(ADMIN);
    fireEvent.click(await screen.findByTestId('edit-m_plain'));
    await screen.findByTestId('policy-window');
    fireEvent.click(screen.getByTestId('policy-submit'));
    expect(await screen.findByTestId('policy-error')).toBeTruthy();
    expect(screen.getByTestId('policy-window')).toBeTruthy();
  });

  it('keeps supervisors and agents out', async () => {
    mockApi();
    renderPage(SUPERVISOR);
    expect(await screen.findByText('Only admins manage refund policies.')).toBeTruthy();
  });
});
