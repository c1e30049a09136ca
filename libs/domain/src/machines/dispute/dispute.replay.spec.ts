import { replayEvents } from '../../engine/case-transition';
import { CaseHarness, SENDERS } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { disputeDefinitionV1 } from './dispute.definition';

describe('dispute: the event log replays to the stored snapshot', () => {
  it('reproduces the snapshot after commands and deadlines, at every step', () => {
    const dispute = CaseHarness.open(disputeDefinitionV1, SAMPLE_FACTS.dispute);
    const stored = [dispute.snapshot];
    dispute.send('FORWARD_TO_MERCHANT', {}, SENDERS.agent);
    stored.push(dispute.snapshot);
    dispute.send('MERCHANT_CONTEST', { summary: 'Delivered' }, SENDERS.merchant);
    stored.push(dispute.snapshot);
    dispute.send('REQUEST_CUSTOMER_INFO', { question: 'Photo of the label?' }, SENDERS.agent);
    stored.push(dispute.snapshot);
    dispute.fire('infoReplyWindow');
    stored.push(dispute.snapshot);
    dispute.send('APPEAL', { reason: 'I was in hospital' }, SENDERS.customer);
    stored.push(dispute.snapshot);
    dispute.send('DECIDE_PARTIAL_REFUND', { amountMinor: 2_500, reason: 'Goodwill' }, SENDERS.agent);
    stored.push(dispute.snapshot);
    dispute.send('REFUND_FAILED', { failureReason: 'card_closed' }, SENDERS.system);
    stored.push(dispute.snapshot);
    dispute.fire('refundRetryBackoff');
    stored.push(dispute.snapshot);
    dispute.send('REFUND_SUCCEEDED', { gatewayRefundId: 'rf_1' }, SENDERS.system);
    stored.push(dispute.snapshot);

    expect(dispute.log).toHaveLength(stored.length - 1);
    stored.forEach((snapshot, index) => {
      expect(replayEvents(disputeDefinitionV1, dispute.input, dispute.log.slice(0, index))).toEqual(snapshot);
    });
    expect(dispute.context.refundedMinor).toBe(2_500);
  });

  it('does not reproduce the snapshot when an event is missing from the log', () => {
    const dispute = CaseHarness.open(disputeDefinitionV1, SAMPLE_FACTS.dispute);
    dispute.send('FORWARD_TO_MERCHANT', {}, SENDERS.agent);
    dispute.send('MERCHANT_ACCEPT', {}, SENDERS.merchant);
    expect(replayEvents(disputeDefinitionV1, dispute.input, dispute.log.slice(1))).not.toEqual(dispute.snapshot);
  });
});
