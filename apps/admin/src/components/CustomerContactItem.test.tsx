import { fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CustomerContact } from '../api/types';
import { renderWithProviders } from '../test/render';
import { CustomerContactItem } from './CustomerContactItem';

const CONTACT: CustomerContact = { locale: 'zh-CN', pushEnabled: true, phone: '138****5678', email: 'w***@example.com', wechatOpenId: null };
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => vi.unstubAllGlobals());

describe('customer contact on the case page', () => {
  it('shows the contact masked and asks for the full details only when Show is pressed', async () => {
    const fetchMock = vi.fn(async () => json(200, { phone: '13812345678', email: 'wang@example.com' }));
    vi.stubGlobal('fetch', fetchMock);
    const onRevealed = vi.fn();
    renderWithProviders(<CustomerContactItem caseId="c1" contact={CONTACT} onRevealed={onRevealed} />);
    expect(screen.getByTestId('contact-phone').textContent).toBe('138****5678');
    expect(screen.getByTestId('contact-email').textContent).toBe('w***@example.com');
    expect(fetchMock).not.toHaveBeenCalled();

    fireEvent.click(screen.getByTestId('contact-reveal'));
    expect(await screen.findByText('13812345678')).toBeTruthy();
    expect(screen.getByText('wang@example.com')).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledWith('/v1/cases/c1/customer-contact/reveal', expect.objectContaining({ method: 'POST' }));
    // The reveal is on the timeline now: the page reloads it.
    expect(onRevealed).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('contact-reveal')).toBeNull();
  });

  it('speaks Chinese and says so when there is nothing to show', () => {
    renderWithProviders(<CustomerContactItem caseId="c1" contact={CONTACT} onRevealed={() => undefined} />, 'zh-CN');
    expect(screen.getByTestId('contact-reveal').textContent).toBe('显 示');
    renderWithProviders(<CustomerContactItem caseId="c2" contact={null} onRevealed={() => undefined} />, 'zh-CN');
    expect(screen.getByText('无联系方式')).toBeTruthy();
  });
});
