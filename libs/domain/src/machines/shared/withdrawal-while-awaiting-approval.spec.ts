import type { EventSender } from '../../engine/case-transition';
import { DomainErrorCode } from '../../errors';
import { CaseHarness, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { disputeDefinitionV5 } from '../dispute/dispute.definition.v5';
import { disputeDefinitionV6 } from '../dispute/dispute.definition.v6';
import { inquiryDefinitionV1 } from '../inquiry/inquiry.definition';
import { refundRequestDefinitionV5 } from '../refund-request/refund-request.v5.definition';
import { withWithdrawalWhileAwaitingApproval } from './withdrawal-while-awaiting-approval';

const ANN: EventSender = { kind: 'agent', role: 'agent', id: 'agent-ann' };
const BOB: EventSender = { kind: 'agent', role: 'agent', id: 'agent-bob' };
const MERCHANT: EventSender = { kind: 'merchant', id: 'm_1' };
const CUSTOMER: EventSender = { kind: 'customer', id: 'u_1' };
const EIGHT_HUNDRED_YUAN = { amountMinor: 80_000, currency: 'CNY' };

function disputeAwaitingApproval(definition = disputeDefinitionV6): CaseHarness {
  const dispute = CaseHarness.open(definition, { ...SAMPLE_FACTS.dispute, amount: EIGHT_HUNDRED_YUAN });
  dispute.send('FORWARD_TO_MERCHANT', {}, ANN);
  dispute.send('MERCHANT_CONTEST', { summary: 'Delivered' }, MERCHANT);
  dispute.send('PROPOSE_PARTIAL_REFUND', { amountMinor: 60_000, reason: 'One item missing' }, ANN);
  expect(dispute.state).toBe('awaitingApproval');
  return dispute;
}

describe('the customer may withdraw while a proposal waits for approval', () => {
  it('dispute v6: the case is withdrawn, the proposal dropped with its approval deadline, and no money moves', () => {
    const dispute = disputeAwaitingApproval();
    expect(dispute.pendingDeadlines()).toEqual(['approvalWindow']);
    dispute.send('WITHDRAW', { reason: 'The parcel arrived after all' }, CUSTOMER);
    expect([dispute.state, dispute.status]).toEqual(['withdrawn', 'done']);
    expect(dispute.context.proposal).toBeNull();
    expect(dispute.pendingDeadlines()).toEqual([]);
    expect(dispute.last.refundLedger).toBeNull();
    expect(dispute.last.effects.map((effect) => effect.type)).not.toContain('requestRefund');
    expect(dispute.last.effects).toContainEqual(expect.objectContaining({ type: 'notify', params: expect.objectContaining({ topic: 'dispute.withdrawn' }) }));
  });

  it('dispute v6: not while an appeal’s decision waits (an appeal review is not withdrawn)', () => {
    const dispute = CaseHarness.open(disputeDefinitionV6, { ...SAMPLE_FACTS.dispute, amount: EIGHT_HUNDRED_YUAN });
    dispute.send('FORWARD_TO_MERCHANT', {}, ANN);
    dispute.send('MERCHANT_CONTEST', { summary: 'Delivered' }, MERCHANT);
    dispute.send('DECIDE_REJECT', { reason: 'Tracking shows delivery' }, ANN);
    dispute.send('APPEAL', { reason: 'Not my signature' }, CUSTOMER);
    dispute.send('PROPOSE_FULL_REFUND', { reason: 'Signature forged' }, BOB);
    expect(dispute.state).toBe('awaitingApproval');
    expect(catchDomainError(() => dispute.send('WITHDRAW', {}, CUSTOMER)).code).toBe(DomainErrorCode.EventNotAllowed);
  });

  it('refund request v5: withdrawn while a refund waits for approval', () => {
    const request = CaseHarness.open(refundRequestDefinitionV5, { ...SAMPLE_FACTS.refund_request, amount: EIGHT_HUNDRED_YUAN });
    request.send('START_REVIEW', {}, ANN);
    request.send('PROPOSE_FULL_REFUND', { reason: 'Returned unopened' }, ANN);
    request.send('WITHDRAW', { reason: 'Kept the item after all' }, CUSTOMER);
    expect([request.state, request.status, request.context.proposal, request.pendingDeadlines()]).toEqual(['withdrawn', 'done', null, []]);
  });

  it('the version before keeps its rule for the cases in flight on it', () => {
    const dispute = disputeAwaitingApproval(disputeDefinitionV5);
    expect(catchDomainError(() => dispute.send('WITHDRAW', {}, CUSTOMER)).code).toBe(DomainErrorCode.EventNotAllowed);
  });

  it('refuses a lifecycle without approvals or withdrawals', () => {
    expect(() => withWithdrawalWhileAwaitingApproval(inquiryDefinitionV1, 3)).toThrow(/no awaitingApproval state/);
  });
});
