import { allowedEvents, replayEvents, restoreSnapshot, type EventSender } from '../../engine/case-transition';
import { DomainErrorCode } from '../../errors';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { paymentFailureDefinitionV3 } from './payment-failure.v3.definition';

const ANN: EventSender = { kind: 'agent', role: 'agent', id: 'agent-ann' };
const BOB: EventSender = { kind: 'agent', role: 'agent', id: 'agent-bob' };
const SUE: EventSender = { kind: 'agent', role: 'supervisor', id: 'sup-sue' };
const SAM: EventSender = { kind: 'agent', role: 'supervisor', id: 'sup-sam' };
const ADA: EventSender = { kind: 'agent', role: 'admin', id: 'admin-ada' };

/** A failed payment under investigation with its cause recorded, for an amount captured in CNY minor units (the agent's limit is ¥500 = 50,000). */
function investigated(amountMinor: number): CaseHarness {
  const failure = CaseHarness.open(paymentFailureDefinitionV3, { ...SAMPLE_FACTS.payment_failure, amount: { amountMinor, currency: 'CNY' } });
  failure.send('START_INVESTIGATION', {}, BOB);
  failure.send('RECORD_CAUSE', { cause: 'bank', note: 'Issuer timed out after debiting' }, BOB);
  return failure;
}

const offered = (failure: CaseHarness, sender: EventSender) => allowedEvents(paymentFailureDefinitionV3, restoreSnapshot(paymentFailureDefinitionV3, failure.snapshot), sender);

describe('payment failure v3: four eyes on reversals', () => {
  it('an agent reverses within their limit alone', () => {
    const failure = investigated(200_000);
    failure.send('REVERSE_PAYMENT', { reason: 'Only part was debited twice', amountMinor: 50_000 }, ANN);
    expect(failure.state).toBe('reversing.pending');
    expect(failure.effects('requestRefund')).toEqual([{ type: 'requestRefund', params: { amountMinor: 50_000, currency: 'CNY', attempt: 1 } }]);
  });

  it('above the limit (a full reversal by default) the reversal is refused with APPROVAL_REQUIRED, and the agent is offered the proposal', () => {
    const failure = investigated(200_000);
    const full = catchDomainError(() => failure.send('REVERSE_PAYMENT', { reason: 'Debited, merchant never paid' }, ANN));
    expect([full.code, full.details]).toEqual([DomainErrorCode.ApprovalRequired, { limitMinor: 50_000, currency: 'CNY', proposeWith: 'PROPOSE_REVERSAL' }]);
    expect(catchDomainError(() => failure.send('REVERSE_PAYMENT', { reason: 'Most of it', amountMinor: 60_000 }, ANN)).code).toBe(DomainErrorCode.ApprovalRequired);
    expect(failure.state).toBe('investigating.tracing');
    // A partial reversal within the limit is still possible, so the reversal stays on offer beside the proposal.
    expect(offered(failure, ANN)).toEqual(expect.arrayContaining(['REVERSE_PAYMENT', 'PROPOSE_REVERSAL']));
    // The reversal's own rules come first.
    expect(catchDomainError(() => failure.send('REVERSE_PAYMENT', { reason: 'Too much', amountMinor: 200_001 }, ANN)).code).toBe(DomainErrorCode.RefundExceedsRemaining);
  });

  it('a proposal waits in awaitingApproval with the amount; the proposer cannot approve it, another supervisor can, and the reversal goes out as a direct one would', () => {
    const failure = investigated(200_000);
    failure.send('PROPOSE_REVERSAL', { reason: 'Debited, merchant never paid' }, SUE);
    expect(failure.state).toBe('awaitingApproval');
    expect(failure.last.slaPhase).toBe('running');
    expect(failure.context.proposal).toEqual({ action: 'reversal', amountMinor: 200_000, currency: 'CNY', reason: 'Debited, merchant never paid', proposedBy: 'sup-sue' });
    expect(failure.effects()).toEqual([{ type: 'notify', params: { topic: 'payment_failure.approval_requested', audience: ['agents'], alert: true } }]);
    expect(failure.pendingDeadlines()).toEqual(['approvalWindow']);

    expect(catchDomainError(() => failure.send('APPROVE_PROPOSAL', {}, SUE)).code).toBe(DomainErrorCode.SelfApproval);
    expect(offered(failure, SUE)).toEqual(['REJECT_PROPOSAL']);
    expect(catchDomainError(() => failure.send('APPROVE_PROPOSAL', {}, BOB)).code).toBe(DomainErrorCode.EventNotPermitted);
    expect(offered(failure, BOB)).toEqual([]);

    const approved = failure.send('APPROVE_PROPOSAL', { note: 'Bank statement checked' }, SAM);
    const direct = investigated(200_000);
    const reversed = direct.send('REVERSE_PAYMENT', { reason: 'Debited, merchant never paid' }, ADA);
    expect(failure.state).toBe('reversing.pending');
    expect(approved.effects).toEqual(reversed.effects);
    expect(approved.effects).toEqual([{ type: 'requestRefund', params: { amountMinor: 200_000, currency: 'CNY', attempt: 1 } }]);
    expect(failure.context).toEqual(direct.context);
    expect(failure.pendingDeadlines()).toEqual([]);

    failure.send('REFUND_SUCCEEDED', { gatewayRefundId: 'rf_1' }, SENDERS.system);
    expect(failure.context).toMatchObject({ outcome: 'reversed', refundedMinor: 200_000, outcomeNote: 'Debited, merchant never paid' });
    expect(replayEvents(paymentFailureDefinitionV3, failure.input, failure.log)).toEqual(failure.snapshot);
  });

  it('a partial proposal keeps its amount and passes the reversal checks; no proposal before the cause is recorded', () => {
    const failure = investigated(200_000);
    expect(catchDomainError(() => failure.send('PROPOSE_REVERSAL', { reason: 'Too much', amountMinor: 200_001 }, ANN)).code).toBe(DomainErrorCode.RefundExceedsRemaining);
    failure.send('PROPOSE_REVERSAL', { reason: 'The fee was kept legitimately', amountMinor: 150_000 }, ANN);
    failure.send('APPROVE_PROPOSAL', {}, SUE);
    expect(failure.effects('requestRefund')[0]!.params).toMatchObject({ amountMinor: 150_000 });
    expect(failure.context.reversalAmountMinor).toBe(150_000);

    const uncaused = CaseHarness.open(paymentFailureDefinitionV3, { ...SAMPLE_FACTS.payment_failure, amount: { amountMinor: 200_000, currency: 'CNY' } });
    uncaused.send('START_INVESTIGATION', {}, ANN);
    expect(catchDomainError(() => uncaused.send('PROPOSE_REVERSAL', { reason: 'Debited' }, ANN)).code).toBe(DomainErrorCode.EventNotAllowed);
  });

  it('an approver needs their own limit to cover the amount', () => {
    const failure = investigated(6_000_000);
    failure.send('PROPOSE_REVERSAL', { reason: 'Debited twice' }, ANN);
    const refused = catchDomainError(() => failure.send('APPROVE_PROPOSAL', {}, SUE));
    expect([refused.code, refused.details]).toEqual([DomainErrorCode.ApprovalLimitExceeded, { limitMinor: 5_000_000, currency: 'CNY' }]);
    failure.send('APPROVE_PROPOSAL', {}, ADA);
    expect(failure.effects('requestRefund')[0]!.params).toMatchObject({ amountMinor: 6_000_000 });
  });

  it('a rejected proposal goes back to the investigation with nothing reversed', () => {
    const failure = investigated(200_000);
    failure.send('REQUEST_CUSTOMER_INFO', { question: 'Please send the bank statement' }, ANN);
    failure.send('PROPOSE_REVERSAL', { reason: 'The bank confirmed the debit on the phone' }, ANN);
    expect(failure.context.openInfoRequest).toBeNull();
    failure.send('REJECT_PROPOSAL', { reason: 'Wait for the statement' }, SUE);
    expect(failure.state).toBe('investigating.tracing');
    expect(failure.context).toMatchObject({ proposal: null, reversalAmountMinor: null, outcome: null, cause: 'bank' });
    expect(failure.effects('requestRefund')).toEqual([]);
    expect(failure.pendingDeadlines()).toEqual([]);
  });

  it('a proposal waiting past its approval window is escalated and keeps waiting', () => {
    const failure = investigated(200_000);
    failure.send('PROPOSE_REVERSAL', { reason: 'Debited' }, ANN);
    const fired = failure.fire('approvalWindow')!;
    expect(failure.state).toBe('awaitingApproval');
    expect(fired.escalate).toBe(true);
    expect(failure.context.approvalOverdue).toBe(true);
    expect(failure.effects()).toEqual([{ type: 'notify', params: { topic: 'payment_failure.approval_overdue', audience: ['agents'], alert: true } }]);
    failure.send('APPROVE_PROPOSAL', {}, SUE);
    expect(failure.state).toBe('reversing.pending');
  });
});
