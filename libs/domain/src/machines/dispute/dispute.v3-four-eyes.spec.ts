import { allowedEvents, restoreSnapshot, type EventSender } from '../../engine/case-transition';
import { DomainErrorCode } from '../../errors';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { disputeDefinitionV3 } from './dispute.definition.v3';

const ANN: EventSender = { kind: 'agent', role: 'agent', id: 'agent-ann' };
const BOB: EventSender = { kind: 'agent', role: 'agent', id: 'agent-bob' };
const SUE: EventSender = { kind: 'agent', role: 'supervisor', id: 'sup-sue' };
const SAM: EventSender = { kind: 'agent', role: 'supervisor', id: 'sup-sam' };
const ADA: EventSender = { kind: 'agent', role: 'admin', id: 'admin-ada' };

/** A contested dispute in review, for an amount in CNY minor units (the agent's default limit is ¥500 = 50,000). */
function inReview(amountMinor: number): CaseHarness {
  const dispute = CaseHarness.open(disputeDefinitionV3, { ...SAMPLE_FACTS.dispute, amount: { amountMinor, currency: 'CNY' } });
  dispute.send('FORWARD_TO_MERCHANT', {}, ANN);
  dispute.send('MERCHANT_CONTEST', { summary: 'Tracking shows delivery' }, SENDERS.merchant);
  return dispute;
}

const offered = (dispute: CaseHarness, sender: EventSender) => allowedEvents(disputeDefinitionV3, restoreSnapshot(disputeDefinitionV3, dispute.snapshot), sender);

describe('dispute v3: four eyes on money', () => {
  it('an agent decides a refund within their limit alone', () => {
    const dispute = inReview(50_000);
    dispute.send('DECIDE_FULL_REFUND', { reason: 'No proof of delivery' }, ANN);
    expect(dispute.state).toBe('refunding.pending');
    expect(dispute.effects('requestRefund')[0]!.params).toMatchObject({ amountMinor: 50_000, currency: 'CNY' });
  });

  it('above the limit the decision is refused with APPROVAL_REQUIRED, and the agent is offered the proposal instead', () => {
    const dispute = inReview(80_000);
    const refused = catchDomainError(() => dispute.send('DECIDE_FULL_REFUND', { reason: 'No proof' }, ANN));
    expect([refused.code, refused.details]).toEqual([DomainErrorCode.ApprovalRequired, { limitMinor: 50_000, currency: 'CNY', proposeWith: 'PROPOSE_FULL_REFUND' }]);
    expect(catchDomainError(() => dispute.send('DECIDE_PARTIAL_REFUND', { amountMinor: 60_000, reason: 'Half' }, ANN)).code).toBe(DomainErrorCode.ApprovalRequired);
    expect(dispute.state).toBe('investigation.reviewing');
    expect(offered(dispute, ANN)).not.toContain('DECIDE_FULL_REFUND');
    expect(offered(dispute, ANN)).toEqual(expect.arrayContaining(['PROPOSE_FULL_REFUND', 'PROPOSE_PARTIAL_REFUND', 'DECIDE_PARTIAL_REFUND']));
    // Within the limit, a partial refund is still the agent's own decision.
    dispute.send('DECIDE_PARTIAL_REFUND', { amountMinor: 30_000, reason: 'One item missing' }, ANN);
    expect(dispute.state).toBe('refunding.pending');
  });

  it('a proposal waits in awaitingApproval with the amount; the proposer cannot approve it, another supervisor can', () => {
    const dispute = inReview(80_000);
    dispute.send('PROPOSE_FULL_REFUND', { reason: 'No proof of delivery' }, SUE);
    expect(dispute.state).toBe('awaitingApproval');
    expect(dispute.context.proposal).toEqual({
      action: 'full_refund',
      amountMinor: 80_000,
      currency: 'CNY',
      reason: 'No proof of delivery',
      proposedBy: 'sup-sue',
      stage: 'first',
    });
    expect(dispute.effects('notify').map((effect) => effect.params)).toEqual([{ topic: 'dispute.approval_requested', audience: ['agents'], alert: true }]);
    expect(dispute.effects('requestRefund')).toEqual([]);
    expect(dispute.pendingDeadlines()).toEqual(['approvalWindow']);

    expect(catchDomainError(() => dispute.send('APPROVE_PROPOSAL', {}, SUE)).code).toBe(DomainErrorCode.SelfApproval);
    expect(offered(dispute, SUE)).not.toContain('APPROVE_PROPOSAL');
    expect(catchDomainError(() => dispute.send('APPROVE_PROPOSAL', {}, BOB)).code).toBe(DomainErrorCode.EventNotPermitted);

    dispute.send('APPROVE_PROPOSAL', { note: 'Courier could not show a signature' }, SAM);
    expect(dispute.state).toBe('refunding.pending');
    expect(dispute.effects('requestRefund')[0]!.params).toMatchObject({ amountMinor: 80_000 });
    expect(dispute.context.proposal).toBeNull();
    expect(dispute.context.decisions).toEqual([{ outcome: 'full_refund', amountMinor: 80_000, reason: 'No proof of delivery', stage: 'first', decidedBy: 'agent' }]);
    expect(dispute.context.firstDeciders).toEqual(['sup-sue', 'sup-sam']);
    expect(dispute.pendingDeadlines()).toEqual([]);
  });

  it('an approver needs their own limit to cover the amount', () => {
    const dispute = inReview(6_000_000);
    dispute.send('PROPOSE_PARTIAL_REFUND', { amountMinor: 5_500_000, reason: 'Most of it' }, ANN);
    const refused = catchDomainError(() => dispute.send('APPROVE_PROPOSAL', {}, SUE));
    expect([refused.code, refused.details]).toEqual([DomainErrorCode.ApprovalLimitExceeded, { limitMinor: 5_000_000, currency: 'CNY' }]);
    dispute.send('APPROVE_PROPOSAL', {}, ADA);
    expect(dispute.effects('requestRefund')[0]!.params).toMatchObject({ amountMinor: 5_500_000 });
  });

  it('limits are configurable per role and currency (a currency a role does not list needs approval)', () => {
    const refundLimits = { agent: { CNY: 100_000 }, supervisor: 'unlimited', admin: 'unlimited' } as const;
    const dispute = inReview(80_000);
    dispute.send('DECIDE_FULL_REFUND', { reason: 'No proof' }, { ...ANN, refundLimits });
    expect(dispute.state).toBe('refunding.pending');

    const inUsd = CaseHarness.open(disputeDefinitionV3, { ...SAMPLE_FACTS.dispute, amount: { amountMinor: 100, currency: 'JPY' } });
    inUsd.send('FORWARD_TO_MERCHANT', {}, ANN);
    inUsd.send('MERCHANT_CONTEST', { summary: 'Delivered' }, SENDERS.merchant);
    expect(catchDomainError(() => inUsd.send('DECIDE_FULL_REFUND', { reason: 'x' }, { ...ANN, refundLimits })).code).toBe(DomainErrorCode.ApprovalRequired);
  });

  it('a rejected proposal goes back to review with nothing refunded', () => {
    const dispute = inReview(80_000);
    dispute.send('PROPOSE_FULL_REFUND', { reason: 'No proof' }, ANN);
    dispute.send('REJECT_PROPOSAL', { reason: 'The tracking record is convincing' }, SUE);
    expect(dispute.state).toBe('investigation.reviewing');
    expect(dispute.context.proposal).toBeNull();
    expect(dispute.effects('requestRefund')).toEqual([]);
    expect(dispute.context.decisions).toEqual([]);
  });

  it('a proposal waiting past its approval window is escalated and keeps waiting', () => {
    const dispute = inReview(80_000);
    dispute.send('PROPOSE_FULL_REFUND', { reason: 'No proof' }, ANN);
    const fired = dispute.fire('approvalWindow')!;
    expect(dispute.state).toBe('awaitingApproval');
    expect(fired.escalate).toBe(true);
    expect(dispute.context.approvalOverdue).toBe(true);
    expect(dispute.effects('notify').map((effect) => effect.params)).toEqual([{ topic: 'dispute.approval_overdue', audience: ['agents'], alert: true }]);
    dispute.send('APPROVE_PROPOSAL', {}, SUE);
    expect(dispute.state).toBe('refunding.pending');
  });

  it('an agent cannot accept for the merchant directly: they propose it with the reason and a second person approves', () => {
    const dispute = CaseHarness.open(disputeDefinitionV3, SAMPLE_FACTS.dispute);
    dispute.send('FORWARD_TO_MERCHANT', {}, ANN);
    const refused = catchDomainError(() => dispute.send('MERCHANT_ACCEPT', {}, ANN));
    expect([refused.code, refused.details]).toEqual([DomainErrorCode.ApprovalRequired, { proposeWith: 'PROPOSE_MERCHANT_ACCEPT' }]);
    expect(offered(dispute, ANN)).toContain('PROPOSE_MERCHANT_ACCEPT');
    expect(offered(dispute, ANN)).not.toContain('MERCHANT_ACCEPT');
    expect(catchDomainError(() => dispute.send('PROPOSE_MERCHANT_ACCEPT', {}, ANN)).code).toBe(DomainErrorCode.ValidationFailed);

    dispute.send('PROPOSE_MERCHANT_ACCEPT', { reason: 'Merchant accepted on the phone, call of 3 May 14:10' }, ANN);
    expect(dispute.context.proposal).toMatchObject({ action: 'merchant_accept', amountMinor: 10_000 });
    dispute.send('APPROVE_PROPOSAL', {}, SUE);
    expect(dispute.state).toBe('refunding.pending');
    expect(dispute.context.merchantResponse).toBe('accepted');
    expect(dispute.context.decisions).toEqual([
      { outcome: 'full_refund', amountMinor: 10_000, reason: 'Merchant accepted on the phone, call of 3 May 14:10', stage: 'first', decidedBy: 'merchant' },
    ]);
    // The merchant itself still accepts in one step.
    const direct = CaseHarness.open(disputeDefinitionV3, SAMPLE_FACTS.dispute);
    direct.send('FORWARD_TO_MERCHANT', {}, ANN);
    direct.send('MERCHANT_ACCEPT', {}, { kind: 'merchant', id: 'm_1' });
    expect(direct.state).toBe('refunding.pending');
  });

  it('an appeal is decided by someone other than who made or approved the first decision', () => {
    const dispute = inReview(80_000);
    dispute.send('PROPOSE_FULL_REFUND', { reason: 'No proof' }, ANN);
    dispute.send('REJECT_PROPOSAL', { reason: 'Tracking is convincing' }, SUE);
    dispute.send('DECIDE_REJECT', { reason: 'Signed for' }, BOB);
    dispute.send('APPEAL', { reason: 'Not my signature' }, SENDERS.customer);
    expect(dispute.state).toBe('appealReview');

    const sameDecider = catchDomainError(() => dispute.send('DECIDE_REJECT', { reason: 'Still signed for' }, BOB));
    expect(sameDecider.code).toBe(DomainErrorCode.AppealNeedsAnotherDecider);
    expect(offered(dispute, BOB)).toEqual([]);
    dispute.send('PROPOSE_FULL_REFUND', { reason: 'The signature does not match' }, ANN);
    expect(dispute.context.proposal).toMatchObject({ stage: 'appeal' });
    dispute.send('REJECT_PROPOSAL', { reason: 'Ask for the ID first' }, SUE);
    expect(dispute.state).toBe('appealReview');
    dispute.send('PROPOSE_FULL_REFUND', { reason: 'The signature does not match' }, ANN);
    dispute.send('APPROVE_PROPOSAL', {}, SAM);
    expect(dispute.state).toBe('refunding.pending');
    expect(dispute.context.decisions.map((decision: { stage: string; outcome: string }) => [decision.stage, decision.outcome])).toEqual([
      ['first', 'rejected'],
      ['appeal', 'full_refund'],
    ]);
  });

  it('the approver of the first decision may not approve the appeal either', () => {
    const dispute = inReview(80_000);
    dispute.send('PROPOSE_FULL_REFUND', { reason: 'No proof' }, ANN);
    dispute.send('APPROVE_PROPOSAL', {}, SUE);
    dispute.send('REFUND_SUCCEEDED', { gatewayRefundId: 'rf_1' }, SENDERS.system);
    dispute.send('APPEAL', { reason: 'The customer kept the goods' }, SENDERS.merchant);
    expect(dispute.state).toBe('appealReview');
    for (const firstDecider of [ANN, SUE]) {
      expect(catchDomainError(() => dispute.send('DECIDE_REJECT', { reason: 'Goods kept' }, firstDecider)).code).toBe(DomainErrorCode.AppealNeedsAnotherDecider);
    }
    dispute.send('DECIDE_REJECT', { reason: 'The refund stands' }, BOB);
    expect(dispute.state).toBe('resolved');
  });

  it('records who sent each event, and a client cannot claim to be someone else', () => {
    const dispute = inReview(10_000);
    expect(dispute.log.at(-1)).toMatchObject({ type: 'MERCHANT_CONTEST', by: { kind: 'merchant', id: null, role: null } });
    const forged = catchDomainError(() => dispute.send('DECIDE_REJECT', { reason: 'x', by: { kind: 'agent', id: 'sup-sue', role: 'supervisor' } }, ANN));
    expect(forged.code).toBe(DomainErrorCode.ValidationFailed);
  });
});
