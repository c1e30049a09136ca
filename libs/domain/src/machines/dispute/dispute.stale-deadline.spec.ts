import { CaseHarness, SENDERS } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { disputeDefinitionV1 } from './dispute.definition';

describe('dispute: a deadline whose state was left is a no-op', () => {
  it('cancels the merchant deadline when the merchant answers, and ignores it if its job runs anyway', () => {
    const dispute = CaseHarness.open(disputeDefinitionV1, SAMPLE_FACTS.dispute);
    dispute.send('FORWARD_TO_MERCHANT', {}, SENDERS.agent);
    const merchantDeadline = dispute.deadline('merchantResponseWindow');

    const contested = dispute.send('MERCHANT_CONTEST', { summary: 'Delivered' }, SENDERS.merchant);
    expect(contested.cancelledSendIds).toEqual([merchantDeadline.sendId]);
    const before = dispute.snapshot;

    expect(dispute.fireEvent(merchantDeadline.event)).toBeUndefined();
    expect(dispute.snapshot).toBe(before);
    expect(dispute.state).toBe('investigation.reviewing');
  });

  it('ignores an information deadline after the answer came in', () => {
    const dispute = CaseHarness.open(disputeDefinitionV1, SAMPLE_FACTS.dispute);
    dispute.send('FORWARD_TO_MERCHANT', {}, SENDERS.agent);
    dispute.send('MERCHANT_CONTEST', { summary: 'Delivered' }, SENDERS.merchant);
    dispute.send('REQUEST_MERCHANT_INFO', { question: 'Proof of delivery?' }, SENDERS.agent);
    const infoDeadline = dispute.deadline('infoReplyWindow');
    dispute.send('MERCHANT_INFO_PROVIDED', { summary: 'Signed receipt' }, SENDERS.merchant);

    expect(dispute.fireEvent(infoDeadline.event)).toBeUndefined();
    expect(dispute.state).toBe('investigation.reviewing');
    expect(dispute.context.evidenceSubmissions).toBe(2);
  });
});
