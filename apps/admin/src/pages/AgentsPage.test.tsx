import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Outlet, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Agent, AgentAccount } from '../api/types';
import type { Locale } from '../i18n/i18n';
import { renderWithProviders } from '../test/render';
import AgentsPage from './AgentsPage';

const ADMIN: AgentAccount = {
  id: 'a0000000-0000-4000-8000-000000000001',
  email: 'admin@test',
  displayName: 'Admin',
  role: 'admin',
  locale: 'en',
  active: true,
  totpEnabled: true,
  lastLoginAt: '2026-03-01T08:30:00Z',
};
const LI: AgentAccount = {
  id: 'b0000000-0000-4000-8000-000000000002',
  email: 'li@test',
  displayName: 'Li Na',
  role: 'agent',
  locale: 'zh-CN',
  active: true,
  totpEnabled: false,
  lastLoginAt: null,
};
const GONE: AgentAccount = {
  id: 'c0000000-0000-4000-8000-000000000003',
  email: 'gone@test',
  displayName: 'Wang',
  role: 'supervisor',
  locale: 'en',
  active: false,
  totpEnabled: true,
  lastLoginAt: '2026-01-01T00:00:00Z',
};
const SUPERVISOR: Agent = { id: 'd0000000-0000-4000-8000-000000000004', email: 'chen@test', displayName: 'Chen', role: 'supervisor', locale: 'en' };

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

interface Call {
  method: string;
  path: string;
  body: unknown;
}

/**
 * A small stand-in for the agents API: pages of `pageSize` rows, and the writes the page makes,
 * answered by `write` (by default: applied to the rows and answered as the API does).
 */
function mockApi(agents: AgentAccount[], options: { pageSize?: number; write?: (call: Call) => Response | undefined } = {}) {
  const rows = agents.map((agent) => ({ ...agent }));
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://admin.test');
    const call = { method: init?.method ?? 'GET', path: url.pathname + url.search, body: init?.body ? JSON.parse(String(init.body)) : undefined };
    calls.push(call);
    if (call.method === 'GET' && url.pathname === '/v1/agents') {
      const visible = rows.filter((agent) => agent.active || url.searchParams.get('includeInactive') === 'true');
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const size = options.pageSize ?? 50;
      const next = start + size < visible.length ? String(start + size) : null;
      return json(200, { data: visible.slice(start, start + size), nextCursor: next });
    }
    const answer = options.write?.(call);
    if (answer) return answer;
    const id = url.pathname.split('/')[3];
    const row = rows.find((agent) => agent.id === id);
    if (call.method === 'PATCH' && row) {
      Object.assign(row, call.body);
      return json(200, row);
    }
    if (call.method === 'POST' && url.pathname === '/v1/agents') {
      const body = call.body as AgentAccount & { password: string };
      const created = {
        id: 'e0000000-0000-4000-8000-000000000005',
        email: body.email,
        displayName: body.displayName,
        role: body.role,
        locale: body.locale,
        active: true,
        totpEnabled: false,
        lastLoginAt: null,
      };
      rows.push(created);
      return json(201, created);
    }
    if ((call.method === 'POST' && url.pathname.endsWith('/password')) || (call.method === 'DELETE' && url.pathname.endsWith('/totp'))) return new Response(null, { status: 204 });
    throw new Error(`unexpected fetch ${call.method} ${call.path}`);
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, writes: () => calls.filter((call) => call.method !== 'GET') };
}

function renderPage(me: Agent, locale: Locale = 'en') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return renderWithProviders(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={['/agents']}>
        <Routes>
          <Route element={<Outlet context={me} />}>
            <Route path="/agents" element={<AgentsPage />} />
          </Route>
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
    locale,
  );
}

const rowOf = (id: string) => document.querySelector<HTMLElement>(`tr[data-row-key="${id}"]`)!;

/** Opens an antd Select inside `scope` and picks the option with this label. */
async function choose(scope: HTMLElement, testId: string, label: string) {
  fireEvent.mouseDown(within(within(scope).getByTestId(testId)).getByRole('combobox'));
  const options = await screen.findAllByTitle(label);
  fireEvent.click(options[options.length - 1]!);
}

/** The row's change is answered and the list reloaded: its buttons take clicks again. */
const settled = (id: string) => waitFor(() => expect(rowOf(id).querySelector('.ant-btn-loading')).toBeNull());

afterEach(() => vi.unstubAllGlobals());

describe('agents page', () => {
  it('shows admins every agent with role, status, two-factor and last login, deactivated ones included', async () => {
    const api = mockApi([ADMIN, LI, GONE]);
    renderPage(ADMIN);
    await screen.findByText('Li Na');
    expect(api.calls[0]!.path).toBe('/v1/agents?includeInactive=true');
    const li = within(rowOf(LI.id));
    expect(li.getByText('li@test')).toBeTruthy();
    expect(li.getByTestId('agent-status').textContent).toBe('Active');
    expect(li.getByTestId('agent-totp').textContent).toBe('Off');
    expect(li.getByTestId('agent-last-login').textContent).toBe('Never');
    expect(within(rowOf(GONE.id)).getByTestId('agent-status').textContent).toBe('Deactivated');
    expect(within(rowOf(GONE.id)).getByTestId('agent-reactivate')).toBeTruthy();
    expect(within(rowOf(ADMIN.id)).getByTestId('agent-totp').textContent).toBe('On');
    expect(within(rowOf(ADMIN.id)).getByTestId('agent-last-login').textContent).not.toBe('Never');
    // Nobody resets their own second factor; another admin's can be.
    expect(within(rowOf(ADMIN.id)).queryByTestId('agent-reset-totp')).toBeNull();
    expect(within(rowOf(GONE.id)).getByTestId('agent-reset-totp')).toBeTruthy();
  });

  it("creates an agent, checking the password's length first", async () => {
    const api = mockApi([ADMIN, LI, GONE]);
    renderPage(ADMIN);
    await screen.findByText('Li Na');

    fireEvent.click(screen.getByTestId('agent-add'));
    fireEvent.change(await screen.findByTestId('agent-form-name'), { target: { value: 'Zhao Lei' } });
    fireEvent.change(screen.getByTestId('agent-form-email'), { target: { value: 'zhao@example.com' } });
    fireEvent.change(screen.getByTestId('agent-form-password'), { target: { value: 'short' } });
    fireEvent.click(screen.getByTestId('agent-create-submit'));
    // Too short a password is said before anything is sent.
    await waitFor(() => expect(screen.getAllByText('At least 10 characters')).toHaveLength(2));
    expect(api.writes()).toEqual([]);
    fireEvent.change(screen.getByTestId('agent-form-password'), { target: { value: 'a-long-initial-password' } });
    await choose(document.body, 'agent-form-role', 'Supervisor');
    fireEvent.click(screen.getByTestId('agent-create-submit'));
    await screen.findByText('Zhao Lei');
    expect(api.writes()).toEqual([
      { method: 'POST', path: '/v1/agents', body: { displayName: 'Zhao Lei', email: 'zhao@example.com', role: 'supervisor', password: 'a-long-initial-password', locale: 'en' } },
    ]);
  });

  it('changes a role, deactivates, reactivates, resets a password and a second factor', async () => {
    const api = mockApi([ADMIN, LI, GONE]);
    renderPage(ADMIN);
    await screen.findByText('Li Na');

    await choose(rowOf(LI.id), 'agent-role', 'Supervisor');
    await waitFor(() => expect(api.writes()).toHaveLength(1));
    expect(api.writes()[0]).toEqual({ method: 'PATCH', path: `/v1/agents/${LI.id}`, body: { role: 'supervisor' } });
    await settled(LI.id);

    fireEvent.click(within(rowOf(LI.id)).getByTestId('agent-deactivate'));
    fireEvent.click(await screen.findByTestId('confirm-deactivate'));
    await waitFor(() => expect(within(rowOf(LI.id)).getByTestId('agent-status').textContent).toBe('Deactivated'));
    await settled(LI.id);
    expect(api.writes()[1]).toEqual({ method: 'PATCH', path: `/v1/agents/${LI.id}`, body: { active: false } });

    fireEvent.click(within(rowOf(GONE.id)).getByTestId('agent-reactivate'));
    await waitFor(() => expect(within(rowOf(GONE.id)).getByTestId('agent-status').textContent).toBe('Active'));
    await settled(GONE.id);

    fireEvent.click(within(rowOf(LI.id)).getByTestId('agent-reset-password'));
    fireEvent.change(await screen.findByTestId('agent-new-password'), { target: { value: 'another-long-password' } });
    fireEvent.click(screen.getByTestId('agent-password-submit'));
    await waitFor(() => expect(api.writes().map((call) => call.path)).toContain(`/v1/agents/${LI.id}/password`));
    expect(api.writes().find((call) => call.path.endsWith('/password'))!.body).toEqual({ newPassword: 'another-long-password' });

    fireEvent.click(within(rowOf(GONE.id)).getByTestId('agent-reset-totp'));
    fireEvent.click(await screen.findByTestId('confirm-reset-totp'));
    await waitFor(() => expect(api.writes().at(-1)).toEqual({ method: 'DELETE', path: `/v1/agents/${GONE.id}/totp`, body: undefined }));
  });

  it("shows the API's refusal in words, in both languages: the last admin, an email taken", async () => {
    const lastAdmin = () => json(409, { code: 'LAST_ADMIN', message: 'This is the last active admin: make another admin first.' });
    mockApi([ADMIN, LI], {
      write: (call) =>
        call.method === 'PATCH'
          ? lastAdmin()
          : call.method === 'POST'
            ? json(400, { code: 'VALIDATION_FAILED', message: 'taken', fields: [{ path: 'email', message: 'already taken' }] })
            : undefined,
    });
    const { unmount } = renderPage(ADMIN);
    await screen.findByText('Li Na');
    fireEvent.click(within(rowOf(ADMIN.id)).getByTestId('agent-deactivate'));
    fireEvent.click(await screen.findByTestId('confirm-deactivate'));
    expect((await screen.findByTestId('agents-error')).textContent).toBe('This is the last active admin: make another agent an admin first.');
    expect(screen.queryByText('This is the last active admin: make another admin first.')).toBeNull();
    expect(within(rowOf(ADMIN.id)).getByTestId('agent-status').textContent).toBe('Active');

    fireEvent.click(screen.getByTestId('agent-add'));
    fireEvent.change(await screen.findByTestId('agent-form-name'), { target: { value: 'Li Na' } });
    fireEvent.change(screen.getByTestId('agent-form-email'), { target: { value: 'li@example.com' } });
    fireEvent.change(screen.getByTestId('agent-form-password'), { target: { value: 'a-long-initial-password' } });
    fireEvent.click(screen.getByTestId('agent-create-submit'));
    expect((await screen.findByTestId('agent-form-error')).textContent).toContain('Some fields are not right');
    unmount();

    renderPage(ADMIN, 'zh-CN');
    await screen.findByText('Li Na');
    expect(screen.getByText('客服账号')).toBeTruthy();
    expect(within(rowOf(LI.id)).getByTestId('agent-last-login').textContent).toBe('从未登录');
    fireEvent.click(within(rowOf(ADMIN.id)).getByTestId('agent-deactivate'));
    fireEvent.click(await screen.findByTestId('confirm-deactivate'));
    expect((await screen.findByTestId('agents-error')).textContent).toBe('这是最后一位在用的管理员：请先将另一位客服设为管理员。');
  });

  it('loads further pages on demand', async () => {
    const many = Array.from({ length: 5 }, (_, n) => ({ ...LI, id: `f0000000-0000-4000-8000-00000000000${n}`, displayName: `Agent ${n}`, email: `a${n}@test` }));
    mockApi(many, { pageSize: 2 });
    renderPage(ADMIN);
    await screen.findByText('Agent 1');
    expect(screen.queryByText('Agent 2')).toBeNull();
    fireEvent.click(screen.getByTestId('agents-load-more'));
    await screen.findByText('Agent 3');
    fireEvent.click(screen.getByTestId('agents-load-more'));
    await screen.findByText('Agent 4');
    await waitFor(() => expect(screen.queryByTestId('agents-load-more')).toBeNull());
  });

  it('shows supervisors the list read-only, without the deactivated agents', async () => {
    const api = mockApi([ADMIN, LI, GONE]);
    renderPage(SUPERVISOR);
    await screen.findByText('Li Na');
    expect(api.calls[0]!.path).toBe('/v1/agents');
    expect(screen.queryByText('Wang')).toBeNull();
    expect(screen.getByTestId('agents-read-only').textContent).toBe('Only admins change agents: you see who is on the desk.');
    expect(screen.queryByTestId('agent-add')).toBeNull();
    expect(screen.queryByTestId('agent-deactivate')).toBeNull();
    expect(screen.queryByTestId('agent-reset-password')).toBeNull();
    expect(within(rowOf(LI.id)).getByTestId('agent-role').textContent).toBe('Agent');
  });

  it('keeps agents out without asking for the list', async () => {
    const api = mockApi([ADMIN, LI]);
    renderPage({ ...LI });
    expect(await screen.findByText('Only supervisors and admins see the agents.')).toBeTruthy();
    expect(api.calls).toEqual([]);
  });
});
