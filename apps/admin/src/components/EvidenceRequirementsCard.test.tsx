import { describe, expect, it } from 'vitest';
import type { EvidenceRequirements } from '../api/types';
import { renderWithProviders } from '../test/render';
import { EvidenceRequirementsCard } from './EvidenceRequirementsCard';

const notReceived: EvidenceRequirements = {
  reason: 'not_received',
  counterparty: 'merchant',
  merchant: { required: ['proof_of_delivery'], optional: ['tracking_number', 'receipt'], provided: ['receipt'], missing: ['proof_of_delivery'] },
  customer: { required: ['transaction_record'], optional: ['chat_log'], provided: ['transaction_record'], missing: [] },
};

const tags = (side: string) =>
  [...document.querySelectorAll(`[data-testid="requirements-${side}"] [data-evidence-type]`)].map((tag) => [
    tag.getAttribute('data-evidence-type'),
    tag.getAttribute('data-provided'),
  ]);

describe('evidence requirements card', () => {
  it("ticks off each side's required and optional evidence and names what the merchant still owes", () => {
    renderWithProviders(<EvidenceRequirementsCard requirements={notReceived} />);
    expect(document.querySelector('[data-testid="evidence-requirements"]')!.textContent).toContain('Reason: Not received');
    expect(tags('merchant')).toEqual([
      ['proof_of_delivery', 'false'],
      ['tracking_number', 'false'],
      ['receipt', 'true'],
    ]);
    expect(document.querySelector('[data-testid="requirements-merchant-missing"]')!.textContent).toContain('Missing: Proof of delivery');
    expect(document.querySelector('[data-testid="requirements-customer-missing"]')!.textContent).toContain('Everything required is in.');
  });

  it('shows a dispute with another wallet user without a merchant side, in Chinese', () => {
    renderWithProviders(
      <EvidenceRequirementsCard
        requirements={{
          reason: 'peer_transfer',
          counterparty: 'wallet_user',
          merchant: null,
          customer: { required: ['transaction_record'], optional: ['chat_log', 'police_report'], provided: [], missing: ['transaction_record'] },
        }}
      />,
      'zh-CN',
    );
    const card = document.querySelector('[data-testid="evidence-requirements"]')!;
    expect(card.textContent).toContain('转账给其他钱包用户');
    expect(card.textContent).toContain('没有商户参与');
    expect(document.querySelector('[data-testid="requirements-merchant"]')).toBeNull();
    expect(document.querySelector('[data-testid="requirements-customer-missing"]')!.textContent).toContain('缺少：交易记录');
  });
});
