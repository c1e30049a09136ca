import { DISPUTE_REASONS } from '../cases/case-kind';
import { DomainErrorCode } from '../errors';
import { disputeFilingRefusal } from './dispute-filing';
import {
  DISPUTE_EVIDENCE_REQUIREMENTS,
  EVIDENCE_TYPES,
  canonicalDisputeReason,
  disputeCounterpartyOf,
  evidenceRequirementsStatus,
  evidenceRequirementsUnmet,
  evidenceTypeOf,
  filingWindowRefusal,
} from './evidence-requirements';

describe('dispute reasons and the evidence each side owes', () => {
  it('covers every reason, and a merchant side exactly for disputes with a merchant', () => {
    expect(Object.keys(DISPUTE_EVIDENCE_REQUIREMENTS).sort()).toEqual([...DISPUTE_REASONS].sort());
    for (const [reason, requirements] of Object.entries(DISPUTE_EVIDENCE_REQUIREMENTS)) {
      expect({ reason, hasMerchantSide: requirements.merchant !== null }).toEqual({ reason, hasMerchantSide: requirements.counterparty === 'merchant' });
      for (const side of [requirements.customer, requirements.merchant]) {
        if (!side) continue;
        // An item is required or optional, never both, and every one is a known type.
        expect(side.required.filter((type) => side.optional.includes(type))).toEqual([]);
        expect([...side.required, ...side.optional].every((type) => EVIDENCE_TYPES.includes(type))).toBe(true);
      }
    }
  });

  it('a merchant contesting needs at least one item for every reason it can be asked about', () => {
    for (const requirements of Object.values(DISPUTE_EVIDENCE_REQUIREMENTS)) {
      if (requirements.merchant) expect(requirements.merchant.required.length).toBeGreaterThan(0);
    }
  });

  it('reads the old `duplicate` as duplicate_charge, and knows nothing of made-up reasons', () => {
    expect(canonicalDisputeReason('duplicate')).toBe('duplicate_charge');
    expect(canonicalDisputeReason('not_received')).toBe('not_received');
    expect(canonicalDisputeReason('changed_mind')).toBeNull();
    expect(canonicalDisputeReason(null)).toBeNull();
    expect(disputeCounterpartyOf('peer_transfer')).toBe('wallet_user');
    expect(disputeCounterpartyOf('duplicate')).toBe('merchant');
  });

  it('counts the older field and file names as their typed evidence, and uncategorised items as nothing', () => {
    expect(evidenceTypeOf('shipping_proof')).toBe('proof_of_delivery');
    expect(evidenceTypeOf('shipping_documentation')).toBe('proof_of_delivery');
    expect(evidenceTypeOf('tracking_number')).toBe('tracking_number');
    expect(evidenceTypeOf('uncategorized_file')).toBeNull();
    expect(evidenceTypeOf('other')).toBeNull();
  });

  it('lists what is provided and what is still missing for one side', () => {
    const merchant = evidenceRequirementsStatus('not_received', 'merchant', ['receipt', 'uncategorized_text']);
    expect(merchant).toEqual({
      required: ['proof_of_delivery'],
      optional: ['tracking_number', 'receipt', 'customer_communication'],
      provided: ['receipt'],
      missing: ['proof_of_delivery'],
    });
    expect(evidenceRequirementsStatus('not_received', 'merchant', ['shipping_proof', 'receipt'])!.missing).toEqual([]);
    expect(evidenceRequirementsStatus('credit_not_processed', 'merchant', ['refund_policy'])!.missing).toEqual(['refund_refusal_explanation']);
    expect(evidenceRequirementsStatus('peer_transfer', 'merchant', [])).toBeNull();
    expect(evidenceRequirementsStatus('not_as_described', 'customer', ['chat_log'])!.missing).toEqual(['product_photos']);
    expect(evidenceRequirementsStatus('unauthorised', 'customer', [])!.missing).toEqual([]);
  });

  it('refuses a submission with the missing items listed, and lets a complete one through', () => {
    const status = evidenceRequirementsStatus('cancelled', 'merchant', []);
    const refusal = evidenceRequirementsUnmet(status, 'cancelled', 'merchant');
    expect(refusal?.code).toBe(DomainErrorCode.EvidenceRequirementsUnmet);
    expect(refusal?.details).toEqual({ reason: 'cancelled', side: 'merchant', missing: ['cancellation_policy'], required: ['cancellation_policy'] });
    expect(evidenceRequirementsUnmet(evidenceRequirementsStatus('cancelled', 'merchant', ['cancellation_policy']), 'cancelled', 'merchant')).toBeUndefined();
    expect(evidenceRequirementsUnmet(null, 'peer_transfer', 'merchant')).toBeUndefined();
  });
});

describe('the filing window', () => {
  const paidAt = new Date('2026-01-01T00:00:00.000Z');
  const day = 24 * 60 * 60 * 1000;

  it('takes a dispute up to the last millisecond of the window, and refuses it one millisecond later', () => {
    expect(filingWindowRefusal(paidAt, new Date(paidAt.getTime() + 10 * day), 120)).toBeUndefined();
    expect(filingWindowRefusal(paidAt, new Date(paidAt.getTime() + 120 * day), 120)).toBeUndefined();
    const late = filingWindowRefusal(paidAt, new Date(paidAt.getTime() + 120 * day + 1), 120);
    expect(late?.code).toBe(DomainErrorCode.OutsideFilingWindow);
    expect(late?.details).toEqual({ filingWindowDays: 120, transactionAt: '2026-01-01T00:00:00.000Z', windowClosedAt: '2026-05-01T00:00:00.000Z' });
  });
});

describe('filing a dispute', () => {
  const paidAt = new Date('2026-01-01T00:00:00.000Z');
  const soon = new Date('2026-01-05T00:00:00.000Z');

  it('refuses a dispute with another wallet user about a payment to a merchant', () => {
    expect(disputeFilingRefusal({ reason: 'peer_transfer', merchantId: 'm_1', transactionAt: paidAt }, soon, 120)?.details.fields).toEqual([
      { path: 'reason', message: expect.stringContaining('not for a payment to a merchant') },
    ]);
    expect(disputeFilingRefusal({ reason: 'peer_transfer', merchantId: null, transactionAt: paidAt }, soon, 120)).toBeUndefined();
    expect(disputeFilingRefusal({ reason: 'not_received', merchantId: 'm_1', transactionAt: paidAt }, soon, 120)).toBeUndefined();
  });

  it('holds the filing window against the transaction time when one is known', () => {
    expect(disputeFilingRefusal({ reason: 'not_received', merchantId: 'm_1', transactionAt: paidAt }, soon, 3)?.code).toBe(DomainErrorCode.OutsideFilingWindow);
    expect(disputeFilingRefusal({ reason: 'not_received', merchantId: 'm_1', transactionAt: null }, soon, 3)).toBeUndefined();
  });
});
