import { CaseHarness, SENDERS } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { disputeDefinitionV1 } from './dispute.definition';

describe('dispute: contest, then the customer does not answer the information request', () => {
  function contestedAndAskedCustomer(): CaseHarness {
    const dispute = CaseHarness.open(disputeDefinitionV1, SAMPLE_FACTS.dispute);
    dispute.send('FORWARD_TO_MERCHANT', {}, SENDERS.agent);
    dispute.send('MERCHANT_CONTEST', { summary: 'Tracking shows delivery' }, SENDERS.merchant);
    dispute.send('REQUEST_CUSTOMER_INFO', { question: 'Please send a photo of the parcel label' }, SENDERS.agent);
    return dispute;
  }

  it('waits for the customer with an information deadline', () => {
    const dispute = contestedAndAskedCustomer();
    expect(dispute.state).toBe('investigation.awaitingCustomerInfo');
    expect(dispute.context.openInfoRequest).toEqual({ from: 'customer', question: 'Please send a photo of the parcel label' });
    expect(dispute.pendingDeadlines()).toEqual(['infoReplyWindow']);
    expect(dispute.effects('notify')).toEqual([{ type: 'notify', params: { topic: 'dispute.info_requested', audience: ['customer'] } }]);
  });

  it('rejects the dispute when the window ends, without any refund', () => {
    const dispute = contestedAndAskedCustomer();
    dispute.fire('infoReplyWindow');

    expect(dispute.state).toBe('resolved');
    expect(dispute.context.decisions).toEqual([{ outcome: 'rejected', amountMinor: 0, reason: 'customer_did_not_respond', stage: 'first', decidedBy: 'deadline' }]);
    expect(dispute.context.openInfoRequest).toBeNull();
    expect(dispute.effects('requestRefund')).toEqual([]);
  });

  it('goes back to review when the customer answers in time', () => {
    const dispute = contestedAndAskedCustomer();
    const answered = dispute.send('CUSTOMER_INFO_PROVIDED', { summary: 'Label photo uploaded' }, SENDERS.customer);

    expect(dispute.state).toBe('investigation.reviewing');
    expect(answered.cancelledSendIds).toHaveLength(1);
    expect(dispute.pendingDeadlines()).toEqual([]);
  });
});
