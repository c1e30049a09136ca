import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CaseConversation, Macro } from '../api/types';
import { renderWithProviders } from '../test/render';
import { ConversationPanel } from './ConversationPanel';

const CASE_ID = 'c0000000-0000-4000-8000-00000000000c';
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const MACRO: Macro = {
  id: 'm0000000-0000-4000-8000-000000000001',
  translations: { 'zh-CN': { title: '已收到', body: '{caseNumber} 已收到' }, en: { title: 'Received', body: 'Case {caseNumber} received' } },
  createdBy: 'admin',
  createdAt: '2026-12-01T00:00:00Z',
  updatedAt: '2026-12-01T00:00:00Z',
};

function mockConversation(conversation: CaseConversation, macros: Macro[] = [MACRO]) {
  const requests: Array<{ method: string; path: string; body: unknown }> = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = String(input);
      const method = init?.method ?? 'GET';
      requests.push({ method, path, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      if (method === 'GET' && path === `/v1/cases/${CASE_ID}/messages`) return json(200, conversation);
      if (method === 'GET' && path === '/v1/macros?limit=200') return json(200, { data: macros, nextCursor: null });
      if (method === 'GET' && path.startsWith(`/v1/macros/${MACRO.id}/render?`)) {
        const locale = new URL(path, 'http://x').searchParams.get('locale');
        return json(200, { macroId: MACRO.id, locale, title: 'Received', body: locale === 'en' ? 'Case C0000000 received' : 'C0000000 已收到' });
      }
      if (method === 'POST' && path === `/v1/cases/${CASE_ID}/messages`) return json(201, { id: 'new' });
      throw new Error(`unexpected fetch ${method} ${path}`);
    }),
  );
  return requests;
}

const renderPanel = () =>
  renderWithProviders(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <ConversationPanel caseId={CASE_ID} />
    </QueryClientProvider>,
  );

const inbound = {
  id: 'i1',
  caseId: CASE_ID,
  party: 'customer' as const,
  direction: 'inbound' as const,
  author: { kind: 'customer' as const, id: 'u_1', displayName: null },
  body: 'Where is it?',
  locale: 'en' as const,
  macroId: null,
  createdAt: '2026-12-03T09:00:00Z',
};

afterEach(() => vi.unstubAllGlobals());

describe('conversation panel', () => {
  it('replies in the customer’s language with a macro filled in by the API, and sends party, locale and macro id', async () => {
    const requests = mockConversation({ caseId: CASE_ID, replyLocales: { customer: 'en', merchant: null }, messages: [inbound] });
    renderPanel();
    expect(await screen.findByText('Where is it?')).toBeTruthy();
    // No merchant on the case: no recipient switch.
    expect(screen.queryByTestId('conversation-party')).toBeNull();
    expect(screen.getByTestId('reply-locale').textContent).toBe('English');

    fireEvent.mouseDown(within(screen.getByTestId('macro-picker')).getByRole('combobox'));
    fireEvent.click(await screen.findByText('Received'));
    await waitFor(() => expect((screen.getByTestId('reply-input') as HTMLTextAreaElement).value).toBe('Case C0000000 received'));
    expect(requests.some((r) => r.path.includes('/render?') && r.path.includes('locale=en') && r.path.includes('party=customer'))).toBe(true);

    fireEvent.click(screen.getByTestId('reply-send'));
    await waitFor(() => expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ party: 'customer', body: 'Case C0000000 received', locale: 'en', macroId: MACRO.id }));
    await waitFor(() => expect((screen.getByTestId('reply-input') as HTMLTextAreaElement).value).toBe(''));
  });

  it('on a dispute with a merchant, the agent can switch to the merchant’s thread, which has its own language', async () => {
    const requests = mockConversation({ caseId: CASE_ID, replyLocales: { customer: 'en', merchant: 'zh-CN' }, messages: [inbound] });
    renderPanel();
    await screen.findByText('Where is it?');
    fireEvent.click(within(screen.getByTestId('conversation-party')).getByText('Merchant'));
    expect(await screen.findByText('No messages with the merchant yet.')).toBeTruthy();
    expect(screen.queryByText('Where is it?')).toBeNull();
    expect(screen.getByTestId('reply-locale').textContent).toBe('中文');
    fireEvent.change(screen.getByTestId('reply-input'), { target: { value: '请提供物流单号' } });
    fireEvent.click(screen.getByTestId('reply-send'));
    await waitFor(() => expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ party: 'merchant', body: '请提供物流单号', locale: 'zh-CN' }));
  });
});
