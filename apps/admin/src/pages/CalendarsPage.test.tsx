import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Outlet, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BusinessCalendar } from '../api/config-types';
import type { Agent } from '../api/types';
import type { Locale } from '../i18n/i18n';
import { renderWithProviders } from '../test/render';
import CalendarsPage from './CalendarsPage';

const ADMIN: Agent = { id: 'a0000000-0000-4000-8000-000000000001', email: 'admin@test', displayName: 'Admin', role: 'admin', locale: 'en' };
const SUPERVISOR: Agent = { ...ADMIN, role: 'supervisor' };
const OFFICE = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '18:00' },
];
const PRC: BusinessCalendar = {
  id: 'prc-default',
  name: 'PRC working days',
  timeZone: 'Asia/Shanghai',
  weeklyHours: { 1: OFFICE, 2: OFFICE, 3: OFFICE, 4: OFFICE, 5: OFFICE, 6: [], 7: [] },
  holidays: [
    { date: '2026-10-01', name: '国庆节' },
    { date: '2027-10-01', name: '国庆节' },
  ],
  makeUpWorkdays: [{ date: '2026-10-10', name: '国庆节 调休上班' }],
  schedules: [
    { year: 2026, status: 'confirmed', source: 'State Council' },
    { year: 2027, status: 'provisional' },
  ],
};
const ALWAYS_ON: BusinessCalendar = {
  id: 'always-on',
  name: '24/7',
  timeZone: 'Asia/Shanghai',
  weeklyHours: { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] },
  holidays: [],
  makeUpWorkdays: [],
};

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function mockApi(importAnswer: () => Response = () => json(200, PRC)) {
  const calls: Array<{ method: string; path: string; body: unknown }> = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input), 'http://admin.test');
      const call = { method: init?.method ?? 'GET', path: url.pathname, body: init?.body ? JSON.parse(String(init.body)) : undefined };
      calls.push(call);
      if (call.path === '/v1/sla/calendars') return json(200, { data: [ALWAYS_ON, PRC], nextCursor: null });
      if (call.path.endsWith('/schedule-import')) return importAnswer();
      if (call.method === 'PUT') return json(200, { ...PRC, ...(call.body as object) });
      throw new Error(`unexpected fetch ${call.method} ${call.path}`);
    }),
  );
  return calls;
}

function renderPage(me: Agent, locale: Locale = 'en') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return renderWithProviders(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={['/calendars']}>
        <Routes>
          <Route element={<Outlet context={me} />}>
            <Route path="/calendars" element={<CalendarsPage now={() => new Date('2026-12-03T08:00:00Z')} />} />
          </Route>
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
    locale,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('business calendars page', () => {
  it('warns about the unconfirmed next year, and shows the weekly hours and the year', async () => {
    mockApi();
    renderPage(ADMIN);
    const banner = await screen.findByTestId('schedule-banner');
    expect(banner.getAttribute('data-calendar')).toBe('prc-default');
    expect(banner.textContent).toContain('“PRC working days” has no confirmed holiday schedule for 2027.');
    // The 24/7 calendar follows no holiday schedule: no banner for it.
    expect(screen.getAllByTestId('schedule-banner')).toHaveLength(1);
    expect(screen.getByTestId('weekly-hours-1').textContent).toBe('09:00–12:00, 13:00–18:00');
    expect(screen.getByTestId('weekly-hours-6').textContent).toBe('Day off');
    expect(screen.getByTestId('year-status').getAttribute('data-status')).toBe('confirmed');
    expect(screen.getByTestId('day-2026-10-01').getAttribute('data-kind')).toBe('holiday');
    expect(screen.getByTestId('day-2026-10-10').getAttribute('data-kind')).toBe('makeUp');
    expect(screen.getByTestId('day-2026-10-11').getAttribute('data-kind')).toBe('off');
    expect(screen.getByTestId('day-2026-10-12').getAttribute('data-kind')).toBe('work');
  });

  it('sends the chosen file to the import, and shows the API’s refusal', async () => {
    const calls = mockApi(() => json(400, { code: 'VALIDATION_FAILED', message: 'x', fields: [{ path: 'content.line2', message: 'x' }] }));
    renderPage(ADMIN, 'zh-CN');
    fireEvent.click(await screen.findByTestId('schedule-import'));
    const file = new File(['BEGIN:VCALENDAR\r\nEND:VCALENDAR'], '2027.ics', { type: 'text/calendar' });
    fireEvent.change(await screen.findByTestId('schedule-import-file'), { target: { files: [file] } });
    fireEvent.click(screen.getByTestId('schedule-import-submit'));
    const error = await screen.findByTestId('schedule-import-error');
    expect(error.textContent).toContain('content.line2');
    await waitFor(() => expect(calls.find((call) => call.method === 'POST')).toBeTruthy());
    expect(calls.find((call) => call.method === 'POST')).toEqual({
      method: 'POST',
      path: '/v1/sla/calendars/prc-default/schedule-import',
      body: { year: 2026, format: 'ics', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR' },
    });
  });

  it('saves new weekly hours with a lunch break, and keeps the rest of the calendar', async () => {
    const calls = mockApi();
    renderPage(ADMIN);
    fireEvent.click(await screen.findByTestId('weekly-hours-edit'));
    const saturday = await screen.findByTestId('weekly-hours-input-6');
    fireEvent.change(saturday, { target: { value: '10:00 - 12:00' } });
    fireEvent.change(screen.getByTestId('weekly-hours-input-5'), { target: { value: '09:00-12:00, 13:30-17:00' } });
    fireEvent.click(screen.getByTestId('weekly-hours-submit'));
    await waitFor(() => expect(calls.find((call) => call.method === 'PUT')).toBeTruthy());
    const { id: _id, ...rest } = PRC;
    expect(calls.find((call) => call.method === 'PUT')).toEqual({
      method: 'PUT',
      path: '/v1/sla/calendars/prc-default',
      body: {
        ...rest,
        weeklyHours: {
          ...PRC.weeklyHours,
          5: [
            { start: '09:00', end: '12:00' },
            { start: '13:30', end: '17:00' },
          ],
          6: [{ start: '10:00', end: '12:00' }],
        },
      },
    });
  }, 240_000);

  it('is read-only for supervisors', async () => {
    mockApi();
    renderPage(SUPERVISOR);
    await screen.findByTestId('calendars-read-only');
    expect(screen.queryByTestId('schedule-import')).toBeNull();
    expect(screen.queryByTestId('weekly-hours-edit')).toBeNull();
  });
});
