import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Refund } from '../api/types';
import { renderWithProviders } from '../test/render';
import { RefundsCard } from './RefundsCard';

const refund = (overrides: Partial<Refund>): Refund => ({
  id: 'r1',
  attempt: 1,
  amountMinor: 12_850,
  currency: 'CNY',
  status: 'processing',
  walletRefundId: 'rf_abc',
  expectedArrivalAt: '2026-12-06T02:00:00Z',
  failureReason: null,
  createdAt: '2026-12-03T02:00:00Z',
  settledAt: null,
  ...overrides,
});

describe('refunds card', () => {
  it("shows a refund on its way with its expected arrival, and a failed one with the wallet's reason", () => {
    renderWithProviders(
      <RefundsCard refunds={[refund({}), refund({ id: 'r2', status: 'failed', walletRefundId: null, expectedArrivalAt: null, failureReason: 'issuer_declined' })]} />,
    );
    const items = document.querySelectorAll('[data-refund-status]');
    expect([...items].map((item) => item.getAttribute('data-refund-status'))).toEqual(['processing', 'failed']);
    expect(items[0]!.textContent).toMatch(/On its way/);
    expect(items[0]!.textContent).toMatch(/Expected to arrive/);
    expect(items[0]!.textContent).toMatch(/128\.50/);
    expect(items[0]!.textContent).toMatch(/rf_abc/);
    expect(items[1]!.textContent).toMatch(/Failed/);
    expect(items[1]!.textContent).not.toMatch(/Expected to arrive/);
    expect(screen.getByText('issuer_declined')).toBeTruthy();
  });
});
