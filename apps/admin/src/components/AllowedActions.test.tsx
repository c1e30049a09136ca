import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import type { EventDescription } from '../api/types';
import { renderWithProviders } from '../test/render';
import { AllowedActions } from './AllowedActions';

const field = (name: string, extra: Partial<EventDescription['fields'][number]> = {}) => ({ name, type: 'string' as const, required: true, min: 1, max: 2000, ...extra });
const EVENTS: EventDescription[] = [
  { type: 'FORWARD_TO_MERCHANT', description: 'Ask the merchant to respond', sentBy: ['agent'], minimumRole: null, fields: [], examples: [{}] },
  { type: 'REQUEST_CUSTOMER_INFO', description: 'Ask the customer', sentBy: ['agent'], minimumRole: null, fields: [field('question', { max: 10000 })], examples: [] },
  {
    type: 'DECIDE_PARTIAL_REFUND',
    description: 'Decide a partial refund',
    sentBy: ['agent'],
    minimumRole: null,
    fields: [{ name: 'amountMinor', type: 'integer', required: true, positive: true, money: true }, field('reason')],
    examples: [],
  },
  { type: 'DECIDE_REJECT', description: 'Reject', sentBy: ['agent'], minimumRole: null, fields: [field('reason')], examples: [] },
  { type: 'REFUND_SUCCEEDED', description: 'Gateway', sentBy: ['system'], minimumRole: null, fields: [], examples: [] },
];

const buttons = () =>
  screen
    .queryAllByRole('button')
    .map((b) => b.getAttribute('data-event'))
    .filter(Boolean);
const input = (name: string) => document.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-field="${name}"]`)!;
const type = (name: string, value: string) => fireEvent.change(input(name), { target: { value } });

describe('allowed-actions bar', () => {
  it('shows a button for each allowed event only, and says so when nothing is allowed', () => {
    const { unmount } = renderWithProviders(
      <AllowedActions
        events={EVENTS}
        allowedEvents={['REQUEST_CUSTOMER_INFO', 'DECIDE_PARTIAL_REFUND', 'UNKNOWN_TO_CATALOGUE']}
        currency="CNY"
        version={3}
        onSend={vi.fn()}
        onReload={vi.fn()}
      />,
    );
    expect(buttons()).toEqual(['REQUEST_CUSTOMER_INFO', 'DECIDE_PARTIAL_REFUND']);
    expect(screen.getByText('Partial refund')).toBeTruthy();
    unmount();
    renderWithProviders(<AllowedActions events={EVENTS} allowedEvents={[]} currency="CNY" version={3} onSend={vi.fn()} onReload={vi.fn()} />);
    expect(buttons()).toEqual([]);
    expect(screen.getByText(/Nothing to do on this case right now/)).toBeTruthy();
  });

  it('sends an event without a payload at once', async () => {
    const onSend = vi.fn().mockResolvedValue(undefined);
    renderWithProviders(<AllowedActions events={EVENTS} allowedEvents={['FORWARD_TO_MERCHANT']} currency="CNY" version={3} onSend={onSend} onReload={vi.fn()} />);
    fireEvent.click(screen.getByText('Forward to merchant'));
    await waitFor(() => expect(onSend).toHaveBeenCalledWith('FORWARD_TO_MERCHANT', {}, 3));
    expect(await screen.findByText('Done: Forward to merchant')).toBeTruthy();
  });

  it('validates the form, converts the amount to integer fen, and asks before moving money', async () => {
    const onSend = vi.fn().mockResolvedValue(undefined);
    renderWithProviders(
      <AllowedActions events={EVENTS} allowedEvents={['DECIDE_PARTIAL_REFUND']} currency="CNY" version={3} remainingMinor={10000} onSend={onSend} onReload={vi.fn()} />,
    );
    fireEvent.click(screen.getByText('Partial refund'));
    expect(screen.getByText('Still refundable: CN¥100.00')).toBeTruthy();

    type('amountMinor', '12.345');
    fireEvent.click(screen.getByTestId('action-submit'));
    expect(await screen.findByText(/at most 2 decimals/)).toBeTruthy();
    expect(onSend).not.toHaveBeenCalled();

    type('amountMinor', '40.10'); // 40.10 * 100 is 4009.9999999999995 as a float
    type('reason', 'One of two items missing');
    fireEvent.click(screen.getByTestId('action-submit'));
    expect(await screen.findByText(/sends money to the customer: CN¥40.10/)).toBeTruthy();
    expect(onSend).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('confirm-ok'));
    await waitFor(() => expect(onSend).toHaveBeenCalledWith('DECIDE_PARTIAL_REFUND', { amountMinor: 4010, reason: 'One of two items missing' }, 3));
  });

  it('sends a form against the version it was opened on, says the case changed on a conflict, keeps the typed form, and reloads on request', async () => {
    const onSend = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(409, 'VERSION_CONFLICT', { expectedVersion: 3 }))
      .mockResolvedValueOnce(undefined);
    const onReload = vi.fn();
    const actions = (version: number) => (
      <AllowedActions events={EVENTS} allowedEvents={['REQUEST_CUSTOMER_INFO', 'DECIDE_REJECT']} currency="CNY" version={version} onSend={onSend} onReload={onReload} />
    );
    const { rerenderWithProviders } = renderWithProviders(actions(3));
    fireEvent.click(screen.getByText('Ask the customer'));
    type('question', 'Please send a photo of the parcel label');
    // A poll brings someone else's change while the agent types: the form still decides on version 3.
    rerenderWithProviders(actions(4));
    fireEvent.click(screen.getByTestId('action-submit'));
    await waitFor(() => expect(onSend).toHaveBeenCalledWith('REQUEST_CUSTOMER_INFO', { question: 'Please send a photo of the parcel label' }, 3));
    expect(await screen.findByTestId('conflict')).toBeTruthy();
    expect(screen.getByText('This case changed while you were working on it')).toBeTruthy();
    expect(input('question').value).toBe('Please send a photo of the parcel label');

    // Switching to another action and back does not lose the draft either.
    fireEvent.click(screen.getByText('Reject'));
    fireEvent.click(screen.getByText('Ask the customer'));
    expect(input('question').value).toBe('Please send a photo of the parcel label');

    // After the reload the agent has seen version 5: that is what the form now decides on.
    fireEvent.click(screen.getByText('Reload the case'));
    expect(onReload).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('conflict')).toBeNull();
    rerenderWithProviders(actions(5));
    fireEvent.click(screen.getByTestId('action-submit'));
    await waitFor(() => expect(onSend).toHaveBeenLastCalledWith('REQUEST_CUSTOMER_INFO', { question: 'Please send a photo of the parcel label' }, 5));
  });

  it('shows a refused refund in words, never the server text', async () => {
    const refusal = new ApiError(422, 'REFUND_EXCEEDS_REMAINING', { remainingMinor: 5000, currency: 'CNY' });
    const onSend = vi.fn().mockRejectedValue(refusal);
    renderWithProviders(<AllowedActions events={EVENTS} allowedEvents={['DECIDE_PARTIAL_REFUND']} currency="CNY" version={3} onSend={onSend} onReload={vi.fn()} />, 'zh-CN');
    fireEvent.click(screen.getByText('部分退款'));
    type('amountMinor', '60');
    type('reason', '部分商品缺失');
    fireEvent.click(screen.getByTestId('action-submit'));
    fireEvent.click(await screen.findByTestId('confirm-ok'));
    const alert = await screen.findByTestId('action-error');
    expect(alert.textContent).toContain('仍可退款的金额（¥50.00）');
    expect(input('amountMinor').value).toBe('60');
  });
});
