import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useParams } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { INBOX_POLL_MS } from '../api/hooks';
import type { InboxEntry } from '../api/types';
import type { Locale } from '../i18n/i18n';
import { renderWithProviders } from '../test/render';
import { InboxBell } from './InboxBell';

const CASE_ID = 'c0000000-0000-4000-8000-00000000000c';
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const entry = (overrides: Partial<InboxEntry>): InboxEntry => ({
  id: 'n0000000-0000-4000-8000-000000000001',
  audience: 'agent',
  type: 'conversation.customer_replied',
  caseId: CASE_ID,
  payload: { caseId: CASE_ID, subject: 'Parcel never arrived', excerpt: '快递还没到', party: 'customer' },
  createdAt: '2026-12-03T10:00:00Z',
  readAt: null,
  ...overrides,
});

/** A small inbox behind a mocked fetch: the count and the list follow the read marks posted. */
function mockInbox(entries: InboxEntry[]) {
  const posted: string[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input);
    if (path === '/v1/notifications/unread-count') return json(200, { unread: entries.filter((e) => !e.readAt).length });
    if (path === '/v1/notifications') return json(200, entries);
    const read = /^\/v1\/notifications\/([^/]+)\/read$/.exec(path);
    if (read && init?.method === 'POST') {
      posted.push(read[1]!);
      const target = entries.find((e) => e.id === read[1]);
      if (target) target.readAt = '2026-12-03T10:05:00Z';
      return new Response(null, { status: 204 });
    }
    throw new Error(`unexpected fetch ${init?.method ?? 'GET'} ${path}`);
  });
  vi.stubGlobal('fetch', fetchMock);
  return { posted, entries };
}

function CaseStub() {
  const { id } = useParams();
  return <div data-testid="case-stub">case {id}</div>;
}

function renderBell(locale: Locale = 'en') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return renderWithProviders(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={['/']}>
        <InboxBell />
        <Routes>
          <Route path="/" element={<div>queue</div>} />
          <Route path="/cases/:id" element={<CaseStub />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
    locale,
  );
}

const bell = () => screen.getByTestId('inbox-bell');

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('inbox bell', () => {
  it('shows the unread count, in either language', async () => {
    mockInbox([entry({}), entry({ id: 'n2', readAt: '2026-12-03T09:00:00Z' }), entry({ id: 'n3', type: 'sla.reminder' })]);
    const { unmount } = renderBell('en');
    await waitFor(() => expect(bell().getAttribute('data-unread')).toBe('2'));
    expect(bell().getAttribute('aria-label')).toBe('Inbox, 2 unread');
    expect(within(screen.getByTestId('inbox-count')).getByText('2')).toBeTruthy();
    unmount();
    renderBell('zh-CN');
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('通知，2 条未读'));
  });

  it('picks up a new entry by polling, without a reload', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const inbox = mockInbox([]);
    renderBell();
    await waitFor(() => expect(bell().getAttribute('data-unread')).toBe('0'));
    inbox.entries.push(entry({}));
    await act(() => vi.advanceTimersByTimeAsync(INBOX_POLL_MS));
    await waitFor(() => expect(bell().getAttribute('data-unread')).toBe('1'));
  });

  it('lists the entries with what happened; opening one marks it read and goes to its case', async () => {
    const inbox = mockInbox([
      entry({}),
      entry({ id: 'n2', type: 'conversation.merchant_replied', audience: 'supervisors', payload: { subject: 'Refund', excerpt: 'We shipped it' } }),
    ]);
    renderBell();
    await waitFor(() => expect(bell().getAttribute('data-unread')).toBe('2'));
    fireEvent.click(bell());
    const rows = await screen.findAllByTestId('inbox-entry');
    expect(rows.map((row) => row.getAttribute('data-type'))).toEqual(['conversation.customer_replied', 'conversation.merchant_replied']);
    expect(within(rows[0]!).getByText('The customer replied')).toBeTruthy();
    expect(within(rows[0]!).getByText('“快递还没到”')).toBeTruthy();
    expect(within(rows[1]!).getByText('The merchant answered')).toBeTruthy();
    expect(within(rows[1]!).getByText("Supervisors' queue")).toBeTruthy();

    fireEvent.click(within(rows[0]!).getByText('Parcel never arrived'));
    expect(await screen.findByTestId('case-stub')).toHaveProperty('textContent', `case ${CASE_ID}`);
    expect(inbox.posted).toEqual(['n0000000-0000-4000-8000-000000000001']);
    await waitFor(() => expect(bell().getAttribute('data-unread')).toBe('1'));
  });

  it('names the four-eyes alerts of every kind: an approval requested, an approval overdue', async () => {
    mockInbox([entry({ id: 'n4', type: 'balance_discrepancy.approval_requested' }), entry({ id: 'n5', type: 'dispute.approval_overdue' })]);
    renderBell();
    await waitFor(() => expect(bell().getAttribute('data-unread')).toBe('2'));
    fireEvent.click(bell());
    const rows = await screen.findAllByTestId('inbox-entry');
    expect(within(rows[0]!).getByText('A decision waits for your approval')).toBeTruthy();
    expect(within(rows[1]!).getByText('An approval is overdue')).toBeTruthy();
  });

  it("names a customer's contest of a merchant's rejection (here in Chinese)", async () => {
    mockInbox([entry({ id: 'n6', type: 'refund_request.rejection_contested' })]);
    renderBell('zh-CN');
    fireEvent.click(bell());
    const [row] = await screen.findAllByTestId('inbox-entry');
    expect(within(row!).getByText('客户对商家的拒绝提出了异议')).toBeTruthy();
  });

  it('“mark as read” marks it without leaving the page', async () => {
    const inbox = mockInbox([entry({})]);
    renderBell('zh-CN');
    fireEvent.click(bell());
    const [row] = await screen.findAllByTestId('inbox-entry');
    expect(within(row!).getByText('客户回复了')).toBeTruthy();
    fireEvent.click(within(row!).getByTestId('inbox-mark-read'));
    await waitFor(() => expect(screen.getByTestId('inbox-entry').getAttribute('data-read')).toBe('true'));
    expect(inbox.posted).toEqual(['n0000000-0000-4000-8000-000000000001']);
    expect(screen.queryByTestId('case-stub')).toBeNull();
    await waitFor(() => expect(bell().getAttribute('data-unread')).toBe('0'));
  });

  it('an empty inbox says so', async () => {
    mockInbox([]);
    renderBell();
    fireEvent.click(bell());
    expect(await screen.findByText(/Nothing here/)).toBeTruthy();
  });
});
