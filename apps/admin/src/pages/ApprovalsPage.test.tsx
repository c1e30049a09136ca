import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Outlet, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Agent, ApprovalItem } from '../api/types';
import type { Locale } from '../i18n/i18n';
import { renderWithProviders } from '../test/render';
import ApprovalsPage from './ApprovalsPage';

const SUE: Agent = { id: 'a0000000-0000-4000-8000-000000000001', email: 'sue@test', displayName: 'Sue', role: 'supervisor', locale: 'en' };
const ANN = { id: 'b0000000-0000-4000-8000-000000000002', displayName: 'Ann' };

const item = (id: string, overrides: Partial<ApprovalItem> = {}): ApprovalItem => ({
  case: {
    id,
    kind: 'dispute',
    state: 'awaitingApproval',
    status: 'active',
    version: 4,
    priority: 'normal',
    channel: 'hotline',
    subject: `Parcel ${id.slice(0, 4)}`,
    customer: { id: 'u_1', name: null },
    merchantId: 'm_1',
    transactionRef: 'TX-1',
    amount: { amountMinor: 80_000, currency: 'CNY' },
    assignee: null,
    nextDeadlineAt: null,
    createdAt: '2026-12-03T01:00:00Z',
    updatedAt: '2026-12-03T01:00:00Z',
  } as ApprovalItem['case'],
  proposal: { action: 'full_refund', amountMinor: 80_000, currency: 'CNY', reason: 'No proof of delivery', direction: null, proposedBy: ANN },
  waitingSince: '2026-12-03T01:00:00Z',
  dueAt: '2026-12-03T05:00:00Z',
  overdue: false,
  decideWith: { approve: 'APPROVE_PROPOSAL', reject: 'REJECT_PROPOSAL' },
  ...overrides,
});

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function mockApi(items: ApprovalItem[], onEvent: (path: string, body: unknown) => Response) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input);
    if (path.startsWith('/v1/approvals')) return json(200, { items, nextCursor: null });
    if (path.endsWith('/events') && init?.method === 'POST') return onEvent(path, JSON.parse(String(init.body)));
    throw new Error(`unexpected fetch ${path}`);
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

function renderPage(me: Agent, locale: Locale = 'en') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return renderWithProviders(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={['/approvals']}>
        <Routes>
          <Route element={<Outlet context={me} />}>
            <Route path="/approvals" element={<ApprovalsPage />} />
          </Route>
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
    locale,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('approvals queue', () => {
  it('lists what is proposed, by whom, and approves with the case version on screen', async () => {
    const sent: Array<[string, unknown]> = [];
    mockApi([item('c1000000-0000-4000-8000-000000000001')], (path, body) => {
      sent.push([path, body]);
      return json(200, {});
    });
    renderPage(SUE);
    const row = (await screen.findByText('Parcel c100')).closest('tr')!;
    expect(within(row).getByTestId('approval-action').textContent).toBe('Full refund · CN¥800.00');
    expect(within(row).getByText('No proof of delivery')).toBeTruthy();
    expect(within(row).getByText('Ann')).toBeTruthy();
    fireEvent.click(within(row).getByTestId('approve'));
    expect(await screen.findByText('Approve Full refund · CN¥800.00? The wallet acts on it at once.')).toBeTruthy();
    expect(sent).toEqual([]);
    fireEvent.click(screen.getByTestId('approve-confirm'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual(['/v1/cases/c1000000-0000-4000-8000-000000000001/events', { type: 'APPROVE_PROPOSAL', payload: {}, expectedVersion: 4 }]);
  });

  it('rejects only with a reason, and offers no buttons on a proposal the person may not decide (their own)', async () => {
    const sent: unknown[] = [];
    mockApi(
      [
        item('c2000000-0000-4000-8000-000000000002'),
        item('c3000000-0000-4000-8000-000000000003', {
          proposal: { ...item('x').proposal, proposedBy: { id: SUE.id, displayName: 'Sue' } },
          decideWith: { approve: null, reject: null },
          overdue: true,
        }),
      ],
      (_path, body) => {
        sent.push(body);
        return json(200, {});
      },
    );
    renderPage(SUE);
    const own = (await screen.findByText('Parcel c300')).closest('tr')!;
    expect(within(own).queryByTestId('approve')).toBeNull();
    expect(within(own).getByText('yours')).toBeTruthy();
    expect(within(own).getByTestId('approval-overdue')).toBeTruthy();

    const other = screen.getByText('Parcel c200').closest('tr')!;
    fireEvent.click(within(other).getByTestId('reject'));
    fireEvent.click(await screen.findByTestId('reject-confirm'));
    await screen.findByText('Why (the proposer reads this)', { selector: '.ant-form-item-explain-error' });
    expect(sent).toEqual([]);
    fireEvent.change(screen.getByTestId('reject-reason'), { target: { value: 'Tracking is convincing' } });
    fireEvent.click(screen.getByTestId('reject-confirm'));
    await waitFor(() => expect(sent).toEqual([{ type: 'REJECT_PROPOSAL', payload: { reason: 'Tracking is convincing' }, expectedVersion: 4 }]));
  });

  it('shows a balance correction with its direction, and loads the next page on request', async () => {
    const first = item('c5000000-0000-4000-8000-000000000005', {
      proposal: { action: 'balance_correction', amountMinor: 5_000, currency: 'CNY', reason: 'Fee charged twice', direction: 'credit', proposedBy: ANN },
    });
    const second = item('c6000000-0000-4000-8000-000000000006');
    const fetchMock = vi.fn(async (input: RequestInfo | URL) => {
      const path = String(input);
      if (path === '/v1/approvals?limit=100') return json(200, { items: [first], nextCursor: 'page-2' });
      if (path === '/v1/approvals?limit=100&cursor=page-2') return json(200, { items: [second], nextCursor: null });
      throw new Error(`unexpected fetch ${path}`);
    });
    vi.stubGlobal('fetch', fetchMock);
    renderPage(SUE);
    const row = (await screen.findByText('Parcel c500')).closest('tr')!;
    expect(within(row).getByTestId('approval-action').textContent).toBe('Balance correction · CN¥50.00 (credit to the balance)');
    expect(screen.queryByText('Parcel c600')).toBeNull();
    fireEvent.click(screen.getByTestId('approvals-more'));
    expect(await screen.findByText('Parcel c600')).toBeTruthy();
    await waitFor(() => expect(screen.queryByTestId('approvals-more')).toBeNull());
  });

  it('speaks Chinese', async () => {
    mockApi([item('c4000000-0000-4000-8000-000000000004')], () => json(200, {}));
    renderPage(SUE, 'zh-CN');
    const row = (await screen.findByText('Parcel c400')).closest('tr')!;
    expect(within(row).getByTestId('approval-action').textContent).toBe('全额退款 · ¥800.00');
    expect(within(row).getByTestId('approve').textContent).toBe('批 准');
  });

  it('shows agents that approvals are for supervisors', () => {
    mockApi([], () => json(200, {}));
    renderPage({ ...SUE, role: 'agent' });
    expect(screen.getByText('Only supervisors and admins approve proposals.')).toBeTruthy();
  });
});
