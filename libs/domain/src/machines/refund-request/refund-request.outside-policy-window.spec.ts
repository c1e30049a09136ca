import { DomainErrorCode } from '../../errors';
import { DEFAULT_REFUND_POLICY } from '../../policies/refund-policy';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { refundRequestDefinitionV1 } from './refund-request.definition';

const DAY = 24 * 60 * 60 * 1000;
const purchasedAt = '2025-03-01T08:00:00.000Z';
const daysAfterPurchase = (days: number) => new Date(Date.parse(purchasedAt) + days * DAY).toISOString();

function requestedAfter(days: number): CaseHarness {
  return CaseHarness.open(refundRequestDefinitionV1, { ...SAMPLE_FACTS.refund_request, purchasedAt, openedAt: daysAfterPurchase(days) });
}

describe('refund request: the refund window of the policy', () => {
  it('opens a request made after the window, so the customer gets an answer', () => {
    const request = requestedAfter(DEFAULT_REFUND_POLICY.refundWindowDays + 10);
    expect(request.state).toBe('submitted');
    expect(request.context.policy).toEqual(DEFAULT_REFUND_POLICY);
  });

  it('refuses any approval of a request made after the window, for merchant and agent alike', () => {
    const request = requestedAfter(DEFAULT_REFUND_POLICY.refundWindowDays + 10);
    const full = catchDomainError(() => request.send('APPROVE_FULL_REFUND', { reason: 'Goodwill' }, SENDERS.merchant));
    expect(full.code).toBe(DomainErrorCode.RefundOutsidePolicy);
    expect(full.details).toMatchObject({ rule: 'refund_window', refundWindowDays: DEFAULT_REFUND_POLICY.refundWindowDays });
    expect(full.message).toContain('2025-03-31T08:00:00.000Z');

    request.send('START_REVIEW', {}, SENDERS.agent);
    const partial = catchDomainError(() => request.send('APPROVE_PARTIAL_REFUND', { amountMinor: 100, reason: 'Goodwill' }, SENDERS.agent));
    expect(partial.code).toBe(DomainErrorCode.RefundOutsidePolicy);
    expect(request.state).toBe('underReview.reviewing');

    request.send('REJECT', { reason: 'Outside the 30-day refund window' }, SENDERS.agent);
    expect(request.state).toBe('resolved');
    expect(request.context.decision).toEqual({ outcome: 'rejected', amountMinor: 0, reason: 'Outside the 30-day refund window', decidedAt: 'support_review' });
  });

  it('approves a request made on the last day of the window', () => {
    const request = requestedAfter(DEFAULT_REFUND_POLICY.refundWindowDays);
    request.send('APPROVE_FULL_REFUND', { reason: 'Returned unopened' }, SENDERS.merchant);
    expect(request.state).toBe('refunding.pending');
    expect(request.effects('requestRefund')).toEqual([{ type: 'requestRefund', params: { amountMinor: 10_000, currency: 'CNY', attempt: 1 } }]);
  });

  it('measures the window to when the customer asked, not to when someone decides', () => {
    // Asked on day 29, decided on day 40: still within the policy.
    const request = requestedAfter(29);
    request.fire('merchantResponseWindow');
    request.send('APPROVE_FULL_REFUND', { reason: 'Late merchant, customer asked in time' }, SENDERS.agent);
    expect(request.context.decision).toMatchObject({ outcome: 'full_refund', amountMinor: 10_000, decidedAt: 'support_review' });
  });

  it('refuses to open a request without a purchase date, or with one after the request', () => {
    const missing = refundRequestDefinitionV1.validateFacts({ ...SAMPLE_FACTS.refund_request, purchasedAt: null });
    expect(missing?.code).toBe(DomainErrorCode.ValidationFailed);
    expect(missing?.details.fields).toEqual([{ path: 'purchasedAt', message: expect.any(String) }]);
    const future = refundRequestDefinitionV1.validateFacts({ ...SAMPLE_FACTS.refund_request, purchasedAt: '2030-01-01T00:00:00Z' });
    expect(future?.details.fields).toEqual([{ path: 'purchasedAt', message: 'may not be after the request' }]);
  });
});
