import { DomainErrorCode } from '../../errors';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { applyEvent } from '../../engine/case-transition';
import { createRefundRequestDefinitionV1, refundRequestDefinitionV1 } from './refund-request.definition';

describe('refund request: amounts under the policy', () => {
  const withFee = createRefundRequestDefinitionV1({ refundWindowDays: 30, partialRefundsAllowed: true, nonRefundableFeeMinor: 500 });
  const fullOnly = createRefundRequestDefinitionV1({ refundWindowDays: 30, partialRefundsAllowed: false, nonRefundableFeeMinor: 0 });

  it('keeps the non-refundable fee back from a full refund', () => {
    const request = CaseHarness.open(withFee, SAMPLE_FACTS.refund_request); // 10 000 fen paid
    request.send('APPROVE_FULL_REFUND', { reason: 'Returned' }, SENDERS.merchant);
    expect(request.effects('requestRefund')).toEqual([{ type: 'requestRefund', params: { amountMinor: 9_500, currency: 'CNY', attempt: 1 } }]);
    request.send('REFUND_SUCCEEDED', { gatewayRefundId: 'rf_1' }, SENDERS.system);
    expect(request.context.refundedMinor).toBe(9_500);
    expect(request.state).toBe('resolved');
  });

  it('accepts a partial refund only below what the policy allows', () => {
    const request = CaseHarness.open(withFee, SAMPLE_FACTS.refund_request);
    const error = catchDomainError(() => request.send('APPROVE_PARTIAL_REFUND', { amountMinor: 9_500, reason: 'Most of it' }, SENDERS.merchant));
    expect(error.code).toBe(DomainErrorCode.RefundExceedsRemaining);
    expect(error.details).toMatchObject({ remainingMinor: 9_500, currency: 'CNY' });

    request.send('APPROVE_PARTIAL_REFUND', { amountMinor: 4_000, reason: 'Box missing' }, SENDERS.merchant);
    expect(request.context.decision).toEqual({ outcome: 'partial_refund', amountMinor: 4_000, reason: 'Box missing', decidedAt: 'merchant_response' });
    expect(request.effects('requestRefund')).toEqual([{ type: 'requestRefund', params: { amountMinor: 4_000, currency: 'CNY', attempt: 1 } }]);
  });

  it('refuses partial refunds where the policy allows full refunds only', () => {
    const request = CaseHarness.open(fullOnly, SAMPLE_FACTS.refund_request);
    const error = catchDomainError(() => request.send('APPROVE_PARTIAL_REFUND', { amountMinor: 1_000, reason: 'Some' }, SENDERS.merchant));
    expect(error.code).toBe(DomainErrorCode.RefundOutsidePolicy);
    expect(error.details).toEqual({ rule: 'partial_refunds_not_allowed' });
  });

  it('keeps the policy a case opened under, even when driven by a definition with another default', () => {
    const request = CaseHarness.open(withFee, SAMPLE_FACTS.refund_request);
    expect(request.context.policy).toEqual({ refundWindowDays: 30, partialRefundsAllowed: true, nonRefundableFeeMinor: 500 });
    // The registry's definition has the default policy (no fee); the case still keeps its fee back.
    const approved = applyEvent(refundRequestDefinitionV1, request.snapshot, { type: 'APPROVE_FULL_REFUND', reason: 'Returned' }, SENDERS.merchant);
    expect(approved.effects).toContainEqual({ type: 'requestRefund', params: { amountMinor: 9_500, currency: 'CNY', attempt: 1 } });
  });
});
