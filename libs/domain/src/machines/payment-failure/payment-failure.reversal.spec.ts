import { MAX_AUTOMATIC_REFUND_ATTEMPTS } from '../windows';
import { CaseHarness, SENDERS } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { paymentFailureDefinitionV1 } from './payment-failure.definition';

describe('payment failure: the debited amount is reversed', () => {
  it('refunds the whole debited amount, retrying failures, and resolves as reversed', () => {
    const failure = CaseHarness.open(paymentFailureDefinitionV1, SAMPLE_FACTS.payment_failure); // 25 000 fen debited
    failure.send('START_INVESTIGATION', {}, SENDERS.agent);
    failure.send('REVERSE_PAYMENT', { reason: 'Debited, merchant never paid' }, SENDERS.agent);
    expect(failure.state).toBe('reversing.pending');
    expect(failure.effects('requestRefund')).toEqual([{ type: 'requestRefund', params: { amountMinor: 25_000, currency: 'CNY', attempt: 1 } }]);

    failure.send('REFUND_FAILED', { failureReason: 'gateway_timeout' }, SENDERS.system);
    expect(failure.effects('notify')).toEqual([{ type: 'notify', params: { topic: 'payment_failure.reversal_failed', audience: ['agents'] } }]);
    failure.fire('refundRetryBackoff');
    expect(failure.effects('requestRefund')).toEqual([{ type: 'requestRefund', params: { amountMinor: 25_000, currency: 'CNY', attempt: 2 } }]);
    failure.send('REFUND_SUCCEEDED', { gatewayRefundId: 'rf_1' }, SENDERS.system);

    expect(failure.state).toBe('resolved');
    expect(failure.context).toMatchObject({ outcome: 'reversed', refundedMinor: 25_000 });
    failure.fire('appealWindow');
    expect(failure.status).toBe('done');
  });

  it('stops retrying by itself after the automatic attempts and lets an agent retry', () => {
    const failure = CaseHarness.open(paymentFailureDefinitionV1, SAMPLE_FACTS.payment_failure);
    failure.send('START_INVESTIGATION', {}, SENDERS.agent);
    failure.send('REVERSE_PAYMENT', { reason: 'Debited twice' }, SENDERS.agent);
    for (let attempt = 1; attempt < MAX_AUTOMATIC_REFUND_ATTEMPTS; attempt++) {
      failure.send('REFUND_FAILED', { failureReason: 'gateway_down' }, SENDERS.system);
      failure.fire('refundRetryBackoff');
    }
    failure.send('REFUND_FAILED', { failureReason: 'gateway_down' }, SENDERS.system);
    expect(failure.fire('refundRetryBackoff')).toBeUndefined();
    expect(failure.state).toBe('reversing.failed');
    failure.send('RETRY_REFUND', {}, SENDERS.agent);
    expect(failure.effects('requestRefund')).toEqual([{ type: 'requestRefund', params: { amountMinor: 25_000, currency: 'CNY', attempt: MAX_AUTOMATIC_REFUND_ATTEMPTS + 1 } }]);
  });
});
