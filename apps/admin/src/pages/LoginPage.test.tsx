import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../test/render';
import { LoginPage } from './LoginPage';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => vi.unstubAllGlobals());

describe('login with a second factor', () => {
  it('asks for the one-time code when the account needs one, and sends it with the password', async () => {
    const bodies: Array<Record<string, unknown>> = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
        const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
        bodies.push(body);
        if (!body.totpCode) return json(401, { code: 'TOTP_REQUIRED', message: 'x' });
        return json(200, { token: 't', agent: { id: 'a', email: 'boss@example.com', displayName: 'Boss', role: 'supervisor', locale: 'en' } });
      }),
    );
    renderWithProviders(
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter>
          <LoginPage />
        </MemoryRouter>
      </QueryClientProvider>,
    );
    expect(screen.queryByTestId('login-totp')).toBeNull();
    fireEvent.change(screen.getByTestId('login-email'), { target: { value: 'boss@example.com' } });
    fireEvent.change(screen.getByTestId('login-password'), { target: { value: 'long-enough-password' } });
    fireEvent.click(screen.getByTestId('login-submit'));
    const code = await screen.findByTestId('login-totp');
    expect(screen.queryByTestId('login-error')).toBeNull();
    fireEvent.change(code, { target: { value: '123456' } });
    fireEvent.click(screen.getByTestId('login-submit'));
    await waitFor(() => expect(bodies).toHaveLength(2));
    expect(bodies[1]).toEqual({ email: 'boss@example.com', password: 'long-enough-password', totpCode: '123456' });
  });
});
