import { DEFAULT_WINDOWS } from '../windows';
import { CaseHarness, SENDERS } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { disputeDefinitionV1 } from './dispute.definition';

describe('dispute: a merchant who stays silent loses the dispute', () => {
  it('refunds the customer in full when the merchant response window ends', () => {
    const dispute = CaseHarness.open(disputeDefinitionV1, SAMPLE_FACTS.dispute);
    dispute.send('FORWARD_TO_MERCHANT', {}, SENDERS.agent);
    expect(dispute.state).toBe('awaitingMerchant');
    expect(dispute.effects('notify')).toEqual([{ type: 'notify', params: { topic: 'dispute.awaiting_merchant', audience: ['merchant'] } }]);
    expect(dispute.deadline('merchantResponseWindow').delayMs).toBe(DEFAULT_WINDOWS.merchantResponseMs);

    dispute.fire('merchantResponseWindow');

    expect(dispute.state).toBe('refunding.pending');
    expect(dispute.effects('requestRefund')).toEqual([{ type: 'requestRefund', params: { amountMinor: 10_000, currency: 'CNY', attempt: 1 } }]);
    expect(dispute.context.decisions).toEqual([{ outcome: 'full_refund', amountMinor: 10_000, reason: 'merchant_did_not_respond', stage: 'first', decidedBy: 'deadline' }]);
  });

  it('resolves once the refund went out and closes after the appeal window', () => {
    const dispute = CaseHarness.open(disputeDefinitionV1, SAMPLE_FACTS.dispute);
    dispute.send('FORWARD_TO_MERCHANT', {}, SENDERS.agent);
    dispute.fire('merchantResponseWindow');
    dispute.send('REFUND_SUCCEEDED', { gatewayRefundId: 'rf_1' }, SENDERS.system);

    expect(dispute.state).toBe('resolved');
    expect(dispute.context.refundedMinor).toBe(10_000);
    expect(dispute.pendingDeadlines()).toEqual(['appealWindow']);

    dispute.fire('appealWindow');
    expect(dispute.state).toBe('closed');
    expect(dispute.status).toBe('done');
    expect(dispute.pendingDeadlines()).toEqual([]);
  });
});
