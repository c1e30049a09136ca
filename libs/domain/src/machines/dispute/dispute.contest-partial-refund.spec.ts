import { DomainErrorCode } from '../../errors';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { disputeDefinitionV1 } from './dispute.definition';

/** A 10 000 fen dispute the merchant contested, under review. */
function contestedDispute(): CaseHarness {
  const dispute = CaseHarness.open(disputeDefinitionV1, SAMPLE_FACTS.dispute);
  dispute.send('FORWARD_TO_MERCHANT', {}, SENDERS.agent);
  dispute.send('MERCHANT_CONTEST', { summary: 'One of the two items was delivered' }, SENDERS.merchant);
  return dispute;
}

describe('dispute: contested, partly refunded, appealed once', () => {
  it('refuses a partial refund that is not below what is still refundable', () => {
    const dispute = contestedDispute();
    for (const amountMinor of [10_000, 12_000]) {
      const error = catchDomainError(() => dispute.send('DECIDE_PARTIAL_REFUND', { amountMinor, reason: 'half' }, SENDERS.agent));
      expect(error.code).toBe(DomainErrorCode.RefundExceedsRemaining);
      expect(error.details).toMatchObject({ remainingMinor: 10_000, currency: 'CNY' });
    }
    expect(dispute.state).toBe('investigation.reviewing');
  });

  it('never refunds more than the disputed amount across the first decision and the appeal', () => {
    const dispute = contestedDispute();
    dispute.send('DECIDE_PARTIAL_REFUND', { amountMinor: 3_000, reason: 'One item missing' }, SENDERS.agent);
    expect(dispute.effects('requestRefund')).toEqual([{ type: 'requestRefund', params: { amountMinor: 3_000, currency: 'CNY', attempt: 1 } }]);
    dispute.send('REFUND_SUCCEEDED', { gatewayRefundId: 'rf_1' }, SENDERS.system);
    expect(dispute.context.refundedMinor).toBe(3_000);

    dispute.send('APPEAL', { reason: 'Both items were missing' }, SENDERS.customer);
    expect(dispute.state).toBe('appealReview');

    // 7 000 is all that is left: a "partial" refund of it is refused, as is anything above it.
    const error = catchDomainError(() => dispute.send('DECIDE_PARTIAL_REFUND', { amountMinor: 7_000, reason: 'rest' }, SENDERS.agent));
    expect(error.code).toBe(DomainErrorCode.RefundExceedsRemaining);
    expect(error.details).toMatchObject({ remainingMinor: 7_000 });

    dispute.send('DECIDE_FULL_REFUND', { reason: 'Both items missing' }, SENDERS.agent);
    expect(dispute.effects('requestRefund')).toEqual([{ type: 'requestRefund', params: { amountMinor: 7_000, currency: 'CNY', attempt: 1 } }]);
    dispute.send('REFUND_SUCCEEDED', { gatewayRefundId: 'rf_2' }, SENDERS.system);

    expect(dispute.state).toBe('resolved');
    expect(dispute.context.refundedMinor).toBe(10_000);
    expect(dispute.context.decisions.map((d: { stage: string; amountMinor: number }) => [d.stage, d.amountMinor])).toEqual([
      ['first', 3_000],
      ['appeal', 7_000],
    ]);
  });

  it('allows one appeal only', () => {
    const dispute = contestedDispute();
    dispute.send('DECIDE_REJECT', { reason: 'Delivery confirmed' }, SENDERS.agent);
    dispute.send('APPEAL', { reason: 'The signature is not mine' }, SENDERS.customer);
    dispute.send('DECIDE_REJECT', { reason: 'Signature matches the ID' }, SENDERS.agent);
    expect(dispute.state).toBe('resolved');

    const error = catchDomainError(() => dispute.send('APPEAL', { reason: 'Again' }, SENDERS.customer));
    expect(error.code).toBe(DomainErrorCode.EventNotAllowed);
    expect(error.details.allowedEvents).toEqual([]);
  });

  it('offers no refund decision on appeal once everything was refunded', () => {
    const dispute = contestedDispute();
    dispute.send('DECIDE_FULL_REFUND', { reason: 'No proof of delivery' }, SENDERS.agent);
    dispute.send('REFUND_SUCCEEDED', { gatewayRefundId: 'rf_1' }, SENDERS.system);
    dispute.send('APPEAL', { reason: 'Proof of delivery found' }, SENDERS.merchant);

    for (const [type, payload] of [
      ['DECIDE_FULL_REFUND', { reason: 'again' }],
      ['DECIDE_PARTIAL_REFUND', { amountMinor: 1, reason: 'again' }],
    ] as const) {
      expect(catchDomainError(() => dispute.send(type, payload, SENDERS.agent)).code).toBe(DomainErrorCode.EventNotAllowed);
    }
    dispute.send('DECIDE_REJECT', { reason: 'Refund stands' }, SENDERS.agent);
    expect(dispute.context.refundedMinor).toBe(10_000);
  });
});
