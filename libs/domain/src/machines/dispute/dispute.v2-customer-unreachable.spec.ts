import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { DomainErrorCode } from '../../errors';
import { disputeDefinitionV1 } from './dispute.definition';
import { disputeDefinitionV2 } from './dispute.definition.v2';

describe('dispute v2: silence counts only when the information request was delivered', () => {
  function askedCustomer(definition = disputeDefinitionV2): CaseHarness {
    const dispute = CaseHarness.open(definition, SAMPLE_FACTS.dispute);
    dispute.send('FORWARD_TO_MERCHANT', {}, SENDERS.agent);
    dispute.send('MERCHANT_CONTEST', { summary: 'Tracking shows delivery' }, SENDERS.merchant);
    dispute.send('REQUEST_CUSTOMER_INFO', { question: 'Please send a photo of the parcel label' }, SENDERS.agent);
    return dispute;
  }

  it('rejects as v1 did when a channel delivered the request and the customer stays silent', () => {
    const dispute = askedCustomer();
    dispute.send('CUSTOMER_NOTIFIED', { channel: 'sms' }, SENDERS.system);
    expect(dispute.context.customerNotified).toBe(true);
    dispute.fire('infoReplyWindow');
    expect(dispute.state).toBe('resolved');
    expect(dispute.context.decisions).toEqual([{ outcome: 'rejected', amountMinor: 0, reason: 'customer_did_not_respond', stage: 'first', decidedBy: 'deadline' }]);
  });

  it('hands the case back to an agent and tells the agents when nothing was delivered', () => {
    const dispute = askedCustomer();
    const fired = dispute.fire('infoReplyWindow')!;
    expect(dispute.state).toBe('investigation.reviewing');
    expect(dispute.context.decisions).toEqual([]);
    expect(dispute.context.openInfoRequest).toBeNull();
    expect(fired.effects).toEqual([{ type: 'notify', params: { topic: 'dispute.customer_unreachable', audience: ['agents'] } }]);
  });

  it('counts one delivery once: a second report is refused, so the timeline records it once', () => {
    const dispute = askedCustomer();
    dispute.send('CUSTOMER_NOTIFIED', { channel: 'push' }, SENDERS.system);
    expect(catchDomainError(() => dispute.send('CUSTOMER_NOTIFIED', { channel: 'email' }, SENDERS.system)).code).toBe(DomainErrorCode.EventNotAllowed);
  });

  it('forgets an earlier delivery when a new request is made', () => {
    const dispute = askedCustomer();
    dispute.send('CUSTOMER_NOTIFIED', { channel: 'push' }, SENDERS.system);
    dispute.send('CUSTOMER_INFO_PROVIDED', { summary: 'Photo uploaded' }, SENDERS.customer);
    dispute.send('REQUEST_CUSTOMER_INFO', { question: 'And the receipt, please' }, SENDERS.agent);
    expect(dispute.context.customerNotified).toBe(false);
    dispute.fire('infoReplyWindow');
    expect(dispute.state).toBe('investigation.reviewing');
  });

  it('only the system may report a delivery, and only while the customer is being asked', () => {
    const dispute = askedCustomer();
    expect(catchDomainError(() => dispute.send('CUSTOMER_NOTIFIED', { channel: 'sms' }, SENDERS.agent)).code).toBe(DomainErrorCode.EventNotPermitted);
    dispute.send('CUSTOMER_INFO_PROVIDED', { summary: 'Photo uploaded' }, SENDERS.customer);
    expect(catchDomainError(() => dispute.send('CUSTOMER_NOTIFIED', { channel: 'sms' }, SENDERS.system)).code).toBe(DomainErrorCode.EventNotAllowed);
  });

  it('leaves v1 as it was: an undelivered request still rejects a v1 case', () => {
    const v1 = askedCustomer(disputeDefinitionV1);
    const v2 = askedCustomer(disputeDefinitionV2);
    v1.fire('infoReplyWindow');
    v2.fire('infoReplyWindow');
    expect([v1.state, v2.state]).toEqual(['resolved', 'investigation.reviewing']);
  });
});
