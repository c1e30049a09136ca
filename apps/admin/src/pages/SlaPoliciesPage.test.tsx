import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Outlet, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BusinessCalendar, SlaChangePreview, SlaPolicyRow } from '../api/config-types';
import type { Agent } from '../api/types';
import type { Locale } from '../i18n/i18n';
import { renderWithProviders } from '../test/render';
import SlaPoliciesPage from './SlaPoliciesPage';

const ADMIN: Agent = { id: 'a0000000-0000-4000-8000-000000000001', email: 'admin@test', displayName: 'Admin', role: 'admin', locale: 'en' };
const SUPERVISOR: Agent = { ...ADMIN, id: 'a0000000-0000-4000-8000-000000000002', role: 'supervisor' };
const AGENT: Agent = { ...ADMIN, id: 'a0000000-0000-4000-8000-000000000003', role: 'agent' };

const POLICY: SlaPolicyRow = {
  id: 'disputes',
  name: 'Disputes',
  position: 20,
  match: { kinds: ['dispute'] },
  calendarId: 'prc-default',
  targets: { resolution: { minutes: 2400, mode: 'business' } },
  reminders: [],
  active: true,
};
const CALENDAR = { id: 'prc-default', name: 'PRC', timeZone: 'Asia/Shanghai', weeklyHours: {}, holidays: [], makeUpWorkdays: [] } as unknown as BusinessCalendar;
const PREVIEW: SlaChangePreview = {
  items: [
    {
      caseId: 'c0000000-0000-4000-8000-000000000009',
      target: 'resolution',
      status: 'running',
      currentDueAt: '2026-12-10T10:00:00Z',
      draftDueAt: '2026-12-04T10:00:00Z',
      currentMinutesLeft: 100,
      draftMinutesLeft: -5,
      effect: 'earlier',
      wouldBreachNow: true,
    },
  ],
  summary: { clocks: 1, earlier: 1, later: 0, unchanged: 0, untracked: 0, wouldBreachNow: 1 },
  truncated: false,
};

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function mockApi() {
  const calls: Array<{ method: string; path: string; body: unknown }> = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input), 'http://admin.test');
      const call = { method: init?.method ?? 'GET', path: url.pathname, body: init?.body ? JSON.parse(String(init.body)) : undefined };
      calls.push(call);
      if (call.path === '/v1/sla/policies') return json(200, { data: [POLICY], nextCursor: null });
      if (call.path === '/v1/sla/calendars') return json(200, { data: [CALENDAR], nextCursor: null });
      if (call.path === '/v1/sla/what-if') return json(200, PREVIEW);
      if (call.method === 'PUT') return json(200, { ...POLICY, ...(call.body as object) });
      throw new Error(`unexpected fetch ${call.method} ${call.path}`);
    }),
  );
  return calls;
}

function renderPage(me: Agent, locale: Locale = 'en') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return renderWithProviders(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={['/sla-policies']}>
        <Routes>
          <Route element={<Outlet context={me} />}>
            <Route path="/sla-policies" element={<SlaPoliciesPage />} />
          </Route>
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
    locale,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('SLA policies page', () => {
  it('saves a changed policy only after previewing exactly that change', async () => {
    const calls = mockApi();
    renderPage(ADMIN);
    await screen.findByText('Disputes');
    fireEvent.click(screen.getByTestId('policy-edit'));
    const minutes = await screen.findByTestId('policy-form-resolution-minutes');
    const save = () => screen.getByTestId('policy-save');
    expect(save().hasAttribute('disabled')).toBe(true);

    fireEvent.change(minutes, { target: { value: '600' } });
    fireEvent.click(screen.getByTestId('policy-preview'));
    const whatIf = await screen.findByTestId('what-if');
    expect(calls.find((call) => call.path === '/v1/sla/what-if')!.body).toEqual({
      policyId: 'disputes',
      policy: expect.objectContaining({ targets: { resolution: { minutes: 600, mode: 'business' } }, match: { kinds: ['dispute'] }, calendarId: 'prc-default' }),
    });
    expect(within(whatIf).getByTestId('what-if-effect').textContent).toBe('Earlier');
    expect(within(whatIf).getByTestId('what-if-would-breach').textContent).toBe('Breached at once');
    await waitFor(() => expect(save().hasAttribute('disabled')).toBe(false));

    // Editing again makes the preview stale.
    fireEvent.change(minutes, { target: { value: '700' } });
    await screen.findByTestId('what-if-stale');
    expect(save().hasAttribute('disabled')).toBe(true);
    fireEvent.change(minutes, { target: { value: '600' } });
    await waitFor(() => expect(save().hasAttribute('disabled')).toBe(false));
    fireEvent.click(save());
    await waitFor(() => expect(calls.some((call) => call.method === 'PUT')).toBe(true));
    expect(calls.find((call) => call.method === 'PUT')).toMatchObject({
      path: '/v1/sla/policies/disputes',
      body: expect.objectContaining({ targets: { resolution: { minutes: 600, mode: 'business' } }, active: true }),
    });
  }, 240_000);

  it('lets supervisors preview but not save, in Chinese too', async () => {
    mockApi();
    renderPage(SUPERVISOR, 'zh-CN');
    await screen.findByTestId('sla-read-only');
    expect(screen.queryByTestId('policy-add')).toBeNull();
    fireEvent.click(await screen.findByText('影响预览'));
    await screen.findByTestId('policy-preview');
    expect(screen.queryByTestId('policy-save')).toBeNull();
  });

  it('keeps agents out', () => {
    mockApi();
    renderPage(AGENT);
    expect(screen.getByText('Only supervisors and admins see the SLA policies.')).toBeTruthy();
  });
});
