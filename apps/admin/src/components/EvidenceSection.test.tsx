import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../test/render';
import { EvidenceSection } from './EvidenceSection';

const CASE_ID = 'c0000000-0000-4000-8000-00000000000e';
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const file = (id: string, party: 'merchant' | 'customer', filename: string, category: string, kind: string) => ({
  id,
  party,
  category,
  filename,
  content_type: 'image/png',
  size: 2048,
  uploaded_by: { kind, id: 'x' },
  created: '2026-12-03T09:00:00Z',
});

function mockEvidence(evidence: unknown) {
  const posts: FormData[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = String(input);
      if ((init?.method ?? 'GET') === 'GET' && path === `/v1/cases/${CASE_ID}/evidence`) return json(200, evidence);
      if (init?.method === 'POST' && path === `/v1/cases/${CASE_ID}/evidence/files`) {
        posts.push(init.body as FormData);
        return json(200, { files: [] });
      }
      throw new Error(`unexpected fetch ${init?.method} ${path}`);
    }),
  );
  return posts;
}

const renderSection = (merchantId: string | null = null) =>
  renderWithProviders(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <EvidenceSection caseId={CASE_ID} merchantId={merchantId} />
    </QueryClientProvider>,
  );

afterEach(() => vi.unstubAllGlobals());

describe('evidence of both sides', () => {
  it("shows the customer's files beside the merchant's submission", async () => {
    mockEvidence({
      draft: null,
      submissions: [
        {
          number: 1,
          status: 'submitted',
          fields: {},
          files: [file('m1', 'merchant', 'waybill.png', 'shipping_proof', 'merchant')],
          summary: 'Delivered',
          submitted: '2026-12-02T09:00:00Z',
        },
      ],
      customer_files: [file('c1', 'customer', 'parcel-photo.png', 'product_photos', 'customer')],
    });
    renderSection();
    const customer = await screen.findByTestId('customer-evidence');
    expect(within(customer).getByText('parcel-photo.png')).toBeTruthy();
    expect(within(customer).queryByText('waybill.png')).toBeNull();
    expect(screen.getByText('waybill.png')).toBeTruthy();
    expect(screen.getByText("The merchant's evidence")).toBeTruthy();
  });

  it('uploads a file for the customer as multipart with party=customer and the chosen kind', async () => {
    const posts = mockEvidence({ draft: null, submissions: [], customer_files: [] });
    renderSection();
    await screen.findByText('The customer has not handed in anything yet.');
    const input = screen.getByTestId('customer-evidence').querySelector('input[type="file"]') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File(['%PDF-1.4'], 'receipt.pdf', { type: 'application/pdf' })] } });
    await waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]!.get('party')).toBe('customer');
    expect(posts[0]!.get('category')).toBe('receipt');
    expect((posts[0]!.get('file') as File).name).toBe('receipt.pdf');
    expect(await screen.findByText("Added to the customer's evidence.")).toBeTruthy();
  });

  it("shares a customer's file with the merchant after a confirmation; a shared one says so", async () => {
    const evidence = {
      draft: null,
      submissions: [],
      customer_files: [
        { ...file('c1', 'customer', 'parcel-photo.png', 'product_photos', 'customer'), shared_with_merchant_at: null },
        { ...file('c2', 'customer', 'receipt.png', 'receipt', 'customer'), shared_with_merchant_at: '2026-12-03T10:00:00Z' },
      ],
    };
    const shared: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const path = String(input);
        if ((init?.method ?? 'GET') === 'GET' && path === `/v1/cases/${CASE_ID}/evidence`) return json(200, evidence);
        const share = /^\/v1\/cases\/[^/]+\/evidence\/files\/([^/]+)\/share-with-merchant$/.exec(path);
        if (init?.method === 'POST' && share) {
          shared.push(share[1]!);
          return json(200, { ...evidence.customer_files[0], shared_with_merchant_at: '2026-12-03T11:00:00Z' });
        }
        throw new Error(`unexpected fetch ${init?.method} ${path}`);
      }),
    );
    renderSection('m_1');
    fireEvent.click(await screen.findByTestId('share-c1'));
    expect(shared).toEqual([]);
    await screen.findByText('The merchant will be able to see and download this file. Share it?');
    fireEvent.click(screen.getByRole('button', { name: /ok/i }));
    await waitFor(() => expect(shared).toEqual(['c1']));
    expect(screen.getByTestId('shared-c2').textContent).toBe('Shared with the merchant');
    expect(screen.queryByTestId('share-c2')).toBeNull();
  });

  it('offers no sharing on a case without a merchant', async () => {
    mockEvidence({ draft: null, submissions: [], customer_files: [file('c1', 'customer', 'parcel-photo.png', 'product_photos', 'customer')] });
    renderSection(null);
    await screen.findByText('parcel-photo.png');
    expect(screen.queryByTestId('share-c1')).toBeNull();
  });
});
