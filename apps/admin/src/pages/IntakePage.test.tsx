import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../test/render';
import IntakePage from './IntakePage';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function renderPage() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return renderWithProviders(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={['/intake']}>
        <Routes>
          <Route path="/intake" element={<IntakePage />} />
          <Route path="/cases/:id" element={<p>case page</p>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

/** Opens an antd Select by its test id and picks the option with this label. */
async function choose(testId: string, label: string) {
  fireEvent.mouseDown(within(screen.getByTestId(testId)).getByRole('combobox'));
  const options = await screen.findAllByTitle(label);
  fireEvent.click(options[options.length - 1]!);
}

/** The API as far as the intake needs it: opening a case, whose bodies are kept. */
function stubCaseOpening(): unknown[] {
  const posted: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input) === '/v1/cases' && init?.method === 'POST') {
        posted.push(JSON.parse(String(init.body)));
        return json(201, { id: 'c1' });
      }
      throw new Error(`unexpected fetch ${String(input)}`);
    }),
  );
  return posted;
}

afterEach(() => vi.unstubAllGlobals());

describe('intake of an account-security case', () => {
  it('asks what happened only for account security, and sends the report with the case', async () => {
    const posted = stubCaseOpening();
    renderPage();
    expect(screen.queryByTestId('intake-security-report')).toBeNull();

    await choose('intake-kind', 'Account security');
    await screen.findByTestId('intake-security-report');
    await choose('intake-security-report', 'Forgotten password');
    fireEvent.change(screen.getByLabelText('Subject'), { target: { value: 'Cannot log in' } });
    fireEvent.change(screen.getByLabelText('Customer wallet ID'), { target: { value: 'u_42' } });
    fireEvent.submit(screen.getByTestId('intake-form'));

    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toMatchObject({ kind: 'account_security', securityReport: 'forgotten_password', subject: 'Cannot log in', customer: { id: 'u_42' } });
  });
});

/**
 * Each antd Select opened in jsdom costs about a second of style matching (docs/benchmarks.md,
 * round 17), several on a busy machine: these tests open three each, so they get more time than
 * the default, and the amount's story is told in two of them rather than one of six Selects.
 */
const SELECT_HEAVY_TIMEOUT_MS = 45_000;

/** A dispute with everything but a valid amount filled in. */
async function disputeWithoutAmount() {
  await choose('intake-reason', 'Not received');
  fireEvent.change(screen.getByLabelText('Subject'), { target: { value: 'Parcel never came' } });
  fireEvent.change(screen.getByLabelText('Customer wallet ID'), { target: { value: 'u_42' } });
}

describe('the amount of an intake, with its currency beside it', () => {
  it(
    'is required for a dispute, which the form says under the field and to a screen reader, and not for an inquiry',
    async () => {
      const posted = stubCaseOpening();
      renderPage();
      await disputeWithoutAmount();

      // The form says so under the field (and to a screen reader, with the field) and sends nothing.
      fireEvent.submit(screen.getByTestId('intake-form'));
      const needed = 'Disputes and refund requests need the amount';
      expect(await screen.findByText(needed)).toBeTruthy();
      const amount = screen.getByLabelText('Amount');
      expect(document.getElementById(amount.getAttribute('aria-describedby') ?? '')?.textContent).toBe(needed);
      expect(screen.getByLabelText('Currency')).toBeTruthy();
      // An inquiry does not need it: the message goes with the kind.
      await choose('intake-kind', 'Inquiry');
      await waitFor(() => expect(screen.queryByText(needed)).toBeNull());
      expect(posted).toEqual([]);
    },
    SELECT_HEAVY_TIMEOUT_MS,
  );

  it(
    'is checked against the currency chosen, also after it, and goes out in minor units of it',
    async () => {
      const posted = stubCaseOpening();
      renderPage();
      await disputeWithoutAmount();
      fireEvent.change(screen.getByLabelText('Amount'), { target: { value: '12.345' } });
      expect(await screen.findByText(/at most 2 decimals/)).toBeTruthy();

      // Checked again against the currency chosen after it: yen have no decimals to give; in
      // dollars 128.50 is 12,850 cents.
      fireEvent.change(screen.getByLabelText('Amount'), { target: { value: '128.50' } });
      await waitFor(() => expect(screen.queryByText(/at most \d decimals/)).toBeNull());
      await choose('intake-currency', 'JPY');
      expect(await screen.findByText(/at most 0 decimals/)).toBeTruthy();
      expect(posted).toEqual([]);
      await choose('intake-currency', 'USD');
      await waitFor(() => expect(screen.queryByText(/at most \d decimals/)).toBeNull());
      fireEvent.submit(screen.getByTestId('intake-form'));
      await waitFor(() => expect(posted).toHaveLength(1));
      expect(posted[0]).toMatchObject({ kind: 'dispute', reason: 'not_received', amount: { amountMinor: 12_850, currency: 'USD' } });
    },
    SELECT_HEAVY_TIMEOUT_MS,
  );
});
