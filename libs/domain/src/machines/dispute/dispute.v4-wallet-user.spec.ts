import { allowedEvents, restoreSnapshot, type EventSender } from '../../engine/case-transition';
import { DomainErrorCode } from '../../errors';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { disputeDefinitionV4 } from './dispute.definition.v4';

const ANN: EventSender = { kind: 'agent', role: 'agent', id: 'agent-ann' };
const offered = (dispute: CaseHarness, sender: EventSender = ANN) => allowedEvents(disputeDefinitionV4, restoreSnapshot(disputeDefinitionV4, dispute.snapshot), sender);

const peerTransfer = () => CaseHarness.open(disputeDefinitionV4, { ...SAMPLE_FACTS.dispute, reason: 'peer_transfer' });

describe('dispute v4: a dispute with another wallet user is investigated without a merchant', () => {
  it('is never forwarded: the agent is offered INVESTIGATE instead, and no merchant window starts', () => {
    const dispute = peerTransfer();
    expect(offered(dispute)).toEqual(expect.arrayContaining(['INVESTIGATE', 'WITHDRAW']));
    expect(offered(dispute)).not.toContain('FORWARD_TO_MERCHANT');
    expect(catchDomainError(() => dispute.send('FORWARD_TO_MERCHANT', {}, ANN)).code).toBe(DomainErrorCode.EventNotAllowed);

    dispute.send('INVESTIGATE', {}, ANN);
    expect(dispute.state).toBe('investigation.reviewing');
    expect(dispute.effects('notify')).toEqual([]);
    expect(dispute.pendingDeadlines()).toEqual([]);
  });

  it('asks only the customer for information, and decides and refunds as any dispute', () => {
    const dispute = peerTransfer();
    dispute.send('INVESTIGATE', {}, ANN);
    expect(offered(dispute)).not.toContain('REQUEST_MERCHANT_INFO');
    expect(offered(dispute)).toEqual(expect.arrayContaining(['REQUEST_CUSTOMER_INFO', 'DECIDE_FULL_REFUND', 'DECIDE_REJECT']));
    dispute.send('REQUEST_CUSTOMER_INFO', { question: 'Who did you mean to pay?' }, ANN);
    dispute.send('CUSTOMER_INFO_PROVIDED', { summary: 'My landlord, one digit off' }, SENDERS.customer);
    dispute.send('DECIDE_FULL_REFUND', { reason: 'The recipient confirmed the mistake' }, ANN);
    expect(dispute.state).toBe('refunding.pending');
    expect(dispute.effects('requestRefund')[0]!.params).toMatchObject({ amountMinor: 10_000, currency: 'CNY' });
  });

  it('a dispute with a merchant is forwarded as in v3, and INVESTIGATE is not offered', () => {
    const dispute = CaseHarness.open(disputeDefinitionV4, SAMPLE_FACTS.dispute);
    expect(offered(dispute)).not.toContain('INVESTIGATE');
    expect(catchDomainError(() => dispute.send('INVESTIGATE', {}, ANN)).code).toBe(DomainErrorCode.EventNotAllowed);
    dispute.send('FORWARD_TO_MERCHANT', {}, ANN);
    expect(dispute.state).toBe('awaitingMerchant');
    dispute.send('MERCHANT_CONTEST', { summary: 'Signed for' }, SENDERS.merchant);
    expect(offered(dispute)).toContain('REQUEST_MERCHANT_INFO');
  });

  it('opens a case given an old reason value under its new name, and refuses a reason no release knew', () => {
    const dispute = CaseHarness.open(disputeDefinitionV4, { ...SAMPLE_FACTS.dispute, reason: 'duplicate' });
    expect(dispute.context.reason).toBe('duplicate_charge');
    const refusal = disputeDefinitionV4.validateFacts({ ...SAMPLE_FACTS.dispute, reason: 'changed_mind' });
    expect(refusal?.code).toBe(DomainErrorCode.ValidationFailed);
    expect(refusal?.details.fields).toEqual([{ path: 'reason', message: expect.stringContaining('duplicate is read as duplicate_charge') }]);
    expect(disputeDefinitionV4.validateFacts({ ...SAMPLE_FACTS.dispute, reason: null })?.code).toBe(DomainErrorCode.ValidationFailed);
  });
});
