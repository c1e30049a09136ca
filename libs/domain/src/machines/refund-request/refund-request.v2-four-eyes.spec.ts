import { allowedEvents, replayEvents, restoreSnapshot, type EventSender } from '../../engine/case-transition';
import { DomainErrorCode } from '../../errors';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { createRefundRequestDefinitionV2, refundRequestDefinitionV2 } from './refund-request.v2.definition';

const ANN: EventSender = { kind: 'agent', role: 'agent', id: 'agent-ann' };
const BOB: EventSender = { kind: 'agent', role: 'agent', id: 'agent-bob' };
const SUE: EventSender = { kind: 'agent', role: 'supervisor', id: 'sup-sue' };
const SAM: EventSender = { kind: 'agent', role: 'supervisor', id: 'sup-sam' };
const ADA: EventSender = { kind: 'agent', role: 'admin', id: 'admin-ada' };
const MERCHANT: EventSender = { kind: 'merchant', id: 'm_1' };

/** A refund request for an amount in CNY minor units (the agent's default limit is ¥500 = 50,000), with the merchant. */
function submitted(amountMinor: number, definition = refundRequestDefinitionV2): CaseHarness {
  return CaseHarness.open(definition, { ...SAMPLE_FACTS.refund_request, amount: { amountMinor, currency: 'CNY' } });
}

function inReview(amountMinor: number, definition = refundRequestDefinitionV2): CaseHarness {
  const request = submitted(amountMinor, definition);
  request.send('START_REVIEW', {}, BOB);
  return request;
}

const offered = (request: CaseHarness, sender: EventSender) => allowedEvents(refundRequestDefinitionV2, restoreSnapshot(refundRequestDefinitionV2, request.snapshot), sender);

describe('refund request v2: four eyes on money', () => {
  it('an agent approves a refund within their limit alone; a merchant refunds any amount of their own money', () => {
    const small = inReview(50_000);
    small.send('APPROVE_FULL_REFUND', { reason: 'Returned unopened' }, ANN);
    expect(small.state).toBe('refunding.pending');
    expect(small.effects('requestRefund')[0]!.params).toMatchObject({ amountMinor: 50_000, currency: 'CNY' });

    const large = submitted(9_000_000);
    large.send('APPROVE_FULL_REFUND', { reason: 'Returned unopened' }, MERCHANT);
    expect(large.state).toBe('refunding.pending');
    expect(large.effects('requestRefund')[0]!.params).toMatchObject({ amountMinor: 9_000_000 });
  });

  it('above the limit the approval is refused with APPROVAL_REQUIRED, and the agent is offered the proposal instead', () => {
    const request = inReview(80_000);
    const refused = catchDomainError(() => request.send('APPROVE_FULL_REFUND', { reason: 'Returned' }, ANN));
    expect([refused.code, refused.details]).toEqual([DomainErrorCode.ApprovalRequired, { limitMinor: 50_000, currency: 'CNY', proposeWith: 'PROPOSE_FULL_REFUND' }]);
    const partial = catchDomainError(() => request.send('APPROVE_PARTIAL_REFUND', { amountMinor: 60_000, reason: 'Box missing' }, ANN));
    expect([partial.code, partial.details]).toEqual([DomainErrorCode.ApprovalRequired, { limitMinor: 50_000, currency: 'CNY', proposeWith: 'PROPOSE_PARTIAL_REFUND' }]);
    expect(request.state).toBe('underReview.reviewing');
    expect(offered(request, ANN)).not.toContain('APPROVE_FULL_REFUND');
    expect(offered(request, ANN)).toEqual(expect.arrayContaining(['PROPOSE_FULL_REFUND', 'PROPOSE_PARTIAL_REFUND', 'APPROVE_PARTIAL_REFUND']));
    // A supervisor's limit covers it: they approve alone.
    expect(offered(request, SUE)).toContain('APPROVE_FULL_REFUND');
    // Within the limit, a partial refund is still the agent's own decision.
    request.send('APPROVE_PARTIAL_REFUND', { amountMinor: 30_000, reason: 'Box missing' }, ANN);
    expect(request.state).toBe('refunding.pending');
  });

  it('what the agent already decided alone on the transaction is taken off their limit in what they are offered; approving a proposal keeps the whole limit', () => {
    const request = inReview(30_000);
    const offeredAfter = (sender: EventSender, decidedAloneMinor: number) =>
      allowedEvents(refundRequestDefinitionV2, restoreSnapshot(refundRequestDefinitionV2, request.snapshot), sender, decidedAloneMinor);
    expect(offeredAfter(ANN, 20_000)).toContain('APPROVE_FULL_REFUND'); // 20,000 + 30,000: the limit itself
    expect(offeredAfter(ANN, 20_001)).not.toContain('APPROVE_FULL_REFUND');
    expect(offeredAfter(ANN, 20_001)).toContain('PROPOSE_FULL_REFUND');
    expect(offeredAfter(ADA, 10_000_000)).toContain('APPROVE_FULL_REFUND');
    // Nothing left: no amount could be decided alone, so no decision alone is offered, only proposals.
    const spent = offeredAfter(ANN, 50_000);
    expect(spent).not.toContain('APPROVE_PARTIAL_REFUND');
    expect(spent).toEqual(expect.arrayContaining(['PROPOSE_FULL_REFUND', 'PROPOSE_PARTIAL_REFUND', 'REJECT']));
    expect(offeredAfter(ANN, 49_999)).toContain('APPROVE_PARTIAL_REFUND');

    request.send('PROPOSE_FULL_REFUND', { reason: 'Returned unopened' }, BOB);
    // Approving is not deciding alone: Sue's whole limit (¥50,000) covers it, whatever she decided alone.
    expect(offeredAfter(SUE, 4_990_000)).toContain('APPROVE_PROPOSAL');
  });

  it('a proposal waits in awaitingApproval with the amount the policy allows; the proposer cannot approve it, another supervisor can', () => {
    const request = inReview(80_000, createRefundRequestDefinitionV2({ refundWindowDays: 30, partialRefundsAllowed: true, nonRefundableFeeMinor: 500 }));
    request.send('PROPOSE_FULL_REFUND', { reason: 'Returned unopened' }, SUE);
    expect(request.state).toBe('awaitingApproval');
    expect(request.last.slaPhase).toBe('running');
    expect(request.context.proposal).toEqual({
      action: 'full_refund',
      amountMinor: 79_500,
      currency: 'CNY',
      reason: 'Returned unopened',
      proposedBy: 'sup-sue',
      stage: 'support_review',
    });
    expect(request.effects()).toEqual([{ type: 'notify', params: { topic: 'refund_request.approval_requested', audience: ['agents'], alert: true } }]);
    expect(request.pendingDeadlines()).toEqual(['approvalWindow']);

    expect(catchDomainError(() => request.send('APPROVE_PROPOSAL', {}, SUE)).code).toBe(DomainErrorCode.SelfApproval);
    expect(offered(request, SUE)).toEqual(['REJECT_PROPOSAL']);
    expect(catchDomainError(() => request.send('APPROVE_PROPOSAL', {}, BOB)).code).toBe(DomainErrorCode.EventNotPermitted);

    request.send('APPROVE_PROPOSAL', { note: 'Return received in the warehouse' }, SAM);
    expect(request.state).toBe('refunding.pending');
    expect(request.effects('requestRefund')).toEqual([{ type: 'requestRefund', params: { amountMinor: 79_500, currency: 'CNY', attempt: 1 } }]);
    expect(request.context.proposal).toBeNull();
    expect(request.context.decision).toEqual({ outcome: 'full_refund', amountMinor: 79_500, reason: 'Returned unopened', decidedAt: 'support_review' });
    expect(request.pendingDeadlines()).toEqual([]);
  });

  it('an agent deciding for the merchant proposes on the merchant desk; the approved decision is recorded there', () => {
    const request = submitted(80_000);
    expect(catchDomainError(() => request.send('APPROVE_FULL_REFUND', { reason: 'Merchant agreed on the phone' }, ANN)).code).toBe(DomainErrorCode.ApprovalRequired);
    request.send('PROPOSE_PARTIAL_REFUND', { amountMinor: 70_000, reason: 'Merchant agreed on the phone, less shipping' }, ANN);
    expect(request.state).toBe('awaitingApproval');
    expect(request.context.proposal).toMatchObject({ action: 'partial_refund', amountMinor: 70_000, stage: 'merchant_response', proposedBy: 'agent-ann' });
    // The merchant's window no longer runs: only the approval deadline does.
    expect(request.pendingDeadlines()).toEqual(['approvalWindow']);

    request.send('APPROVE_PROPOSAL', {}, SUE);
    expect(request.effects('requestRefund')[0]!.params).toMatchObject({ amountMinor: 70_000 });
    expect(request.context.decision).toEqual({
      outcome: 'partial_refund',
      amountMinor: 70_000,
      reason: 'Merchant agreed on the phone, less shipping',
      decidedAt: 'merchant_response',
    });
    request.send('REFUND_SUCCEEDED', { gatewayRefundId: 'rf_1' }, SENDERS.system);
    expect(replayEvents(refundRequestDefinitionV2, request.input, request.log)).toEqual(request.snapshot);
  });

  it('the refund policy applies to proposals as to approvals', () => {
    const late = CaseHarness.open(refundRequestDefinitionV2, {
      ...SAMPLE_FACTS.refund_request,
      amount: { amountMinor: 80_000, currency: 'CNY' },
      openedAt: '2025-05-01T08:00:00.000Z',
    });
    late.send('START_REVIEW', {}, ANN);
    expect(catchDomainError(() => late.send('PROPOSE_FULL_REFUND', { reason: 'Goodwill' }, ANN)).code).toBe(DomainErrorCode.RefundOutsidePolicy);
    expect(catchDomainError(() => late.send('PROPOSE_PARTIAL_REFUND', { amountMinor: 100, reason: 'Goodwill' }, ANN)).code).toBe(DomainErrorCode.RefundOutsidePolicy);

    const fullOnly = inReview(80_000, createRefundRequestDefinitionV2({ refundWindowDays: 30, partialRefundsAllowed: false, nonRefundableFeeMinor: 0 }));
    const partial = catchDomainError(() => fullOnly.send('PROPOSE_PARTIAL_REFUND', { amountMinor: 60_000, reason: 'Box missing' }, ANN));
    expect([partial.code, partial.details]).toEqual([DomainErrorCode.RefundOutsidePolicy, { rule: 'partial_refunds_not_allowed' }]);

    const request = inReview(80_000);
    const tooMuch = catchDomainError(() => request.send('PROPOSE_PARTIAL_REFUND', { amountMinor: 80_000, reason: 'All of it' }, ANN));
    expect([tooMuch.code, tooMuch.details]).toEqual([DomainErrorCode.RefundExceedsRemaining, { remainingMinor: 80_000, currency: 'CNY' }]);
    expect(tooMuch.message).toContain('PROPOSE_FULL_REFUND');
    expect(request.state).toBe('underReview.reviewing');
  });

  it('an approver needs their own limit to cover the amount', () => {
    const request = inReview(6_000_000);
    request.send('PROPOSE_PARTIAL_REFUND', { amountMinor: 5_500_000, reason: 'Most of it' }, ANN);
    const refused = catchDomainError(() => request.send('APPROVE_PROPOSAL', {}, SUE));
    expect([refused.code, refused.details]).toEqual([DomainErrorCode.ApprovalLimitExceeded, { limitMinor: 5_000_000, currency: 'CNY' }]);
    expect(offered(request, SUE)).toEqual(['REJECT_PROPOSAL']);
    request.send('APPROVE_PROPOSAL', {}, ADA);
    expect(request.effects('requestRefund')[0]!.params).toMatchObject({ amountMinor: 5_500_000 });
  });

  it('a rejected proposal goes to support review with nothing refunded, also one made on the merchant desk', () => {
    for (const request of [inReview(80_000), submitted(80_000)]) {
      request.send('PROPOSE_FULL_REFUND', { reason: 'Returned' }, ANN);
      request.send('REJECT_PROPOSAL', { reason: 'No proof of the return' }, SUE);
      expect(request.state).toBe('underReview.reviewing');
      expect(request.context).toMatchObject({ proposal: null, decision: null, pendingRefundMinor: 0 });
      expect(request.effects('requestRefund')).toEqual([]);
      expect(request.pendingDeadlines()).toEqual([]);
    }
  });

  it('a proposal waiting past its approval window is escalated and keeps waiting', () => {
    const request = inReview(80_000);
    request.send('PROPOSE_FULL_REFUND', { reason: 'Returned' }, ANN);
    const fired = request.fire('approvalWindow')!;
    expect(request.state).toBe('awaitingApproval');
    expect(fired.escalate).toBe(true);
    expect(request.context.approvalOverdue).toBe(true);
    expect(request.effects()).toEqual([{ type: 'notify', params: { topic: 'refund_request.approval_overdue', audience: ['agents'], alert: true } }]);
    request.send('APPROVE_PROPOSAL', {}, SUE);
    expect(request.state).toBe('refunding.pending');
    expect(request.context.approvalOverdue).toBe(false);
  });

  it('records who sent each event', () => {
    const request = inReview(10_000);
    expect(request.log.at(-1)).toMatchObject({ type: 'START_REVIEW', by: { kind: 'agent', id: 'agent-bob', role: 'agent' } });
  });
});
