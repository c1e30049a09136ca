import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Outlet, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiKeyRow, MerchantRow, WebhookDeliveryRow, WebhookEndpointRow } from '../api/config-types';
import type { Agent } from '../api/types';
import type { Locale } from '../i18n/i18n';
import { renderWithProviders } from '../test/render';
import MerchantsPage from './MerchantsPage';

const ADMIN: Agent = { id: 'a0000000-0000-4000-8000-000000000001', email: 'admin@test', displayName: 'Admin', role: 'admin', locale: 'en' };
const SUPERVISOR: Agent = { ...ADMIN, role: 'supervisor' };
const MERCHANT: MerchantRow = { id: 'm_2001', name: '优选数码旗舰店', active: true, createdAt: '2026-11-01T00:00:00Z' };
const KEY: ApiKeyRow = {
  id: 'k0000000-0000-4000-8000-000000000001',
  merchantId: 'm_2001',
  kind: 'secret',
  livemode: true,
  name: 'production',
  prefix: 'sk_live_AbCd',
  createdAt: '2026-11-01T00:00:00Z',
  lastUsedAt: null,
  revokedAt: null,
};
const ENDPOINT: WebhookEndpointRow = {
  id: 'e0000000-0000-4000-8000-000000000001',
  object: 'webhook_endpoint',
  livemode: true,
  url: 'https://merchant.example/hooks',
  description: null,
  events: ['*'],
  status: 'enabled',
  disabled_reason: null,
  previous_secret_expires_at: null,
  created: '2026-11-01T00:00:00Z',
};
const DELIVERY: WebhookDeliveryRow = {
  id: 'd0000000-0000-4000-8000-000000000001',
  object: 'webhook_delivery',
  endpoint_id: ENDPOINT.id,
  event_id: 'evt_1',
  event_type: 'dispute.awaiting_merchant',
  dispute_id: null,
  status: 'failed',
  attempts: [{ generation: 1, attempt: 1, at: '2026-11-02T00:00:00Z', status_code: 500, error: null, duration_ms: 12 }],
  next_attempt_at: null,
  created: '2026-11-02T00:00:00Z',
};

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function mockApi() {
  const calls: Array<{ method: string; path: string; body: unknown }> = [];
  const keys = [{ ...KEY }];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input), 'http://admin.test');
      const call = { method: init?.method ?? 'GET', path: url.pathname, body: init?.body ? JSON.parse(String(init.body)) : undefined };
      calls.push(call);
      const base = '/v1/admin/merchants/m_2001';
      if (call.path === '/v1/admin/merchants') return json(200, { data: [MERCHANT], nextCursor: null });
      if (call.path === `${base}/api-keys` && call.method === 'GET') return json(200, { data: keys, nextCursor: null });
      if (call.path === `${base}/api-keys` && call.method === 'POST') {
        const created = { ...KEY, id: 'k0000000-0000-4000-8000-000000000002', kind: 'restricted', name: null, prefix: 'rk_live_EfGh' };
        keys.unshift(created as ApiKeyRow);
        return json(201, { ...created, key: 'rk_live_EfGh_the_whole_secret' });
      }
      if (call.path === `${base}/api-keys/${KEY.id}` && call.method === 'DELETE') {
        keys.find((key) => key.id === KEY.id)!.revokedAt = '2026-12-01T00:00:00Z';
        return json(
          200,
          keys.find((key) => key.id === KEY.id),
        );
      }
      if (call.path === `${base}/webhook-endpoints`) return json(200, { object: 'list', data: [ENDPOINT] });
      if (call.path === `${base}/webhook-deliveries`) return json(200, { object: 'list', data: [DELIVERY] });
      if (call.path === `${base}/webhook-deliveries/${DELIVERY.id}/replay`) return json(200, { ...DELIVERY, status: 'pending' });
      throw new Error(`unexpected fetch ${call.method} ${call.path}`);
    }),
  );
  return calls;
}

function renderPage(me: Agent, locale: Locale = 'en') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return renderWithProviders(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={['/merchants']}>
        <Routes>
          <Route element={<Outlet context={me} />}>
            <Route path="/merchants" element={<MerchantsPage />} />
          </Route>
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
    locale,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('merchants page', () => {
  it('creates a key and shows it once, and revokes one', async () => {
    const calls = mockApi();
    renderPage(ADMIN);
    fireEvent.click(await screen.findByTestId('merchant-open', undefined, { timeout: 60_000 }));
    await screen.findByText('sk_live_AbCd…');
    fireEvent.mouseDown(within(screen.getByTestId('key-kind')).getByRole('combobox'));
    const options = await screen.findAllByTitle('Restricted (reads only)');
    fireEvent.click(options[options.length - 1]!);
    fireEvent.click(screen.getByTestId('key-create'));
    expect((await screen.findByTestId('key-created-value')).textContent).toContain('rk_live_EfGh_the_whole_secret');
    expect(calls.find((call) => call.method === 'POST')!.body).toEqual({ kind: 'restricted' });
    fireEvent.click(screen.getByTestId('key-created-done'));
    await waitFor(() => expect(screen.queryByTestId('key-created-value')).toBeNull());

    const row = document.querySelector<HTMLElement>(`tr[data-row-key="${KEY.id}"]`)!;
    fireEvent.click(within(row).getByTestId('key-revoke'));
    fireEvent.click(await screen.findByTestId('confirm-revoke'));
    await waitFor(() => expect(within(document.querySelector<HTMLElement>(`tr[data-row-key="${KEY.id}"]`)!).getByTestId('key-revoked')).toBeTruthy());
    expect(calls.some((call) => call.method === 'DELETE' && call.path === `/v1/admin/merchants/m_2001/api-keys/${KEY.id}`)).toBe(true);
  }, 240_000);

  it('lists the webhook endpoints and deliveries and replays one, in Chinese', async () => {
    const calls = mockApi();
    renderPage(ADMIN, 'zh-CN');
    fireEvent.click(await screen.findByTestId('merchant-open', undefined, { timeout: 60_000 }));
    fireEvent.click(await screen.findByText('Webhook'));
    expect((await screen.findByTestId('endpoint-status')).textContent).toBe('启用');
    expect((await screen.findByTestId('delivery-status')).textContent).toBe('失败');
    fireEvent.click(screen.getByTestId('delivery-replay'));
    await waitFor(() => expect(calls.some((call) => call.method === 'POST' && call.path.endsWith(`/webhook-deliveries/${DELIVERY.id}/replay`))).toBe(true));
  }, 240_000);

  it('is for admins only', () => {
    mockApi();
    renderPage(SUPERVISOR);
    expect(screen.getByText('Only admins manage merchants and their keys.')).toBeTruthy();
  });
});
