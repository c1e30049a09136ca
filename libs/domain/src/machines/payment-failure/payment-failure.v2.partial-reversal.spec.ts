import { DomainErrorCode } from '../../errors';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { paymentFailureDefinitionV2 } from './payment-failure.v2.definition';

function decided(): CaseHarness {
  const failure = CaseHarness.open(paymentFailureDefinitionV2, SAMPLE_FACTS.payment_failure); // 25 000 fen captured
  failure.send('START_INVESTIGATION', {}, SENDERS.agent);
  failure.send('RECORD_CAUSE', { cause: 'bank' }, SENDERS.agent);
  return failure;
}

describe('payment failure v2: reversal, full by default or partial', () => {
  it('reverses everything captured when no amount is given', () => {
    const failure = decided();
    failure.send('REVERSE_PAYMENT', { reason: 'Debited, merchant never paid' }, SENDERS.agent);
    expect(failure.effects('requestRefund')).toEqual([{ type: 'requestRefund', params: { amountMinor: 25_000, currency: 'CNY', attempt: 1 } }]);
    failure.send('REFUND_SUCCEEDED', { gatewayRefundId: 'rf_1' }, SENDERS.system);
    expect(failure.context).toMatchObject({ outcome: 'reversed', refundedMinor: 25_000, cause: 'bank' });
  });

  it('reverses part of it, and retries the same amount after a failure', () => {
    const failure = decided();
    failure.send('REVERSE_PAYMENT', { reason: 'Service fee was legitimately kept', amountMinor: 20_000 }, SENDERS.agent);
    expect(failure.effects('requestRefund')).toEqual([{ type: 'requestRefund', params: { amountMinor: 20_000, currency: 'CNY', attempt: 1 } }]);
    failure.send('REFUND_FAILED', { failureReason: 'issuer_declined' }, SENDERS.system);
    failure.fire('refundRetryBackoff');
    expect(failure.effects('requestRefund')).toEqual([{ type: 'requestRefund', params: { amountMinor: 20_000, currency: 'CNY', attempt: 2 } }]);
    failure.send('REFUND_SUCCEEDED', { gatewayRefundId: 'rf_2' }, SENDERS.system);
    expect(failure.state).toBe('resolved');
    expect(failure.context).toMatchObject({ outcome: 'partially_reversed', refundedMinor: 20_000, reversalAmountMinor: 20_000 });
  });

  it('accepts exactly what was captured and refuses more', () => {
    const failure = decided();
    const error = catchDomainError(() => failure.send('REVERSE_PAYMENT', { reason: 'too much', amountMinor: 25_001 }, SENDERS.agent));
    expect(error.code).toBe(DomainErrorCode.RefundExceedsRemaining);
    expect(error.details).toMatchObject({ remainingMinor: 25_000, currency: 'CNY' });
    expect(catchDomainError(() => failure.send('REVERSE_PAYMENT', { reason: 'zero', amountMinor: 0 }, SENDERS.agent)).code).toBe(DomainErrorCode.ValidationFailed);
    failure.send('REVERSE_PAYMENT', { reason: 'all of it', amountMinor: 25_000 }, SENDERS.agent);
    failure.send('REFUND_SUCCEEDED', { gatewayRefundId: 'rf_3' }, SENDERS.system);
    expect(failure.context.outcome).toBe('reversed');
  });
});
