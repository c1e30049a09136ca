import { MAX_AUTOMATIC_REFUND_ATTEMPTS } from '../windows';
import { CaseHarness, SENDERS } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { disputeDefinitionV1 } from './dispute.definition';

describe('dispute: refund failure, automatic retries, exhaustion, manual retry', () => {
  it('retries by itself until the automatic attempts run out, then waits for an agent', () => {
    const dispute = CaseHarness.open(disputeDefinitionV1, SAMPLE_FACTS.dispute);
    dispute.send('FORWARD_TO_MERCHANT', {}, SENDERS.agent);
    dispute.send('MERCHANT_ACCEPT', {}, SENDERS.merchant);
    expect(dispute.effects('requestRefund')).toEqual([{ type: 'requestRefund', params: { amountMinor: 10_000, currency: 'CNY', attempt: 1 } }]);

    for (let attempt = 2; attempt <= MAX_AUTOMATIC_REFUND_ATTEMPTS; attempt++) {
      dispute.send('REFUND_FAILED', { failureReason: 'gateway_timeout' }, SENDERS.system);
      expect(dispute.state).toBe('refunding.failed');
      expect(dispute.effects('notify')).toEqual([{ type: 'notify', params: { topic: 'dispute.refund_failed', audience: ['agents'] } }]);
      dispute.fire('refundRetryBackoff');
      expect(dispute.state).toBe('refunding.pending');
      expect(dispute.effects('requestRefund')).toEqual([{ type: 'requestRefund', params: { amountMinor: 10_000, currency: 'CNY', attempt } }]);
    }

    dispute.send('REFUND_FAILED', { failureReason: 'gateway_timeout' }, SENDERS.system);
    expect(dispute.context.refundAttempts).toBe(MAX_AUTOMATIC_REFUND_ATTEMPTS);
    // The backoff deadline still fires, but the machine no longer retries by itself.
    expect(dispute.fire('refundRetryBackoff')).toBeUndefined();
    expect(dispute.state).toBe('refunding.failed');

    dispute.send('RETRY_REFUND', {}, SENDERS.agent);
    expect(dispute.effects('requestRefund')).toEqual([{ type: 'requestRefund', params: { amountMinor: 10_000, currency: 'CNY', attempt: MAX_AUTOMATIC_REFUND_ATTEMPTS + 1 } }]);
    dispute.send('REFUND_SUCCEEDED', { gatewayRefundId: 'rf_1' }, SENDERS.system);
    expect(dispute.state).toBe('resolved');
    expect(dispute.context.refundedMinor).toBe(10_000);
    expect(dispute.context.pendingRefundMinor).toBe(0);
  });
});
