import { allowedEvents, replayEvents, restoreSnapshot, type EventSender } from '../../engine/case-transition';
import { DomainErrorCode } from '../../errors';
import { CaseHarness, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { refundRequestDefinitionV3 } from './refund-request.v3.definition';

const MERCHANT: EventSender = { kind: 'merchant', id: 'm_1' };
const CUSTOMER: EventSender = { kind: 'customer', id: 'u_1' };
const ANN: EventSender = { kind: 'agent', role: 'agent', id: 'agent-ann' };

const MERCHANT_POLICY = { refundWindowDays: 7, partialRefundsAllowed: false, nonRefundableFeeMinor: 300 };

function submitted(facts: Partial<typeof SAMPLE_FACTS.refund_request> & { refundPolicy?: typeof MERCHANT_POLICY } = {}): CaseHarness {
  return CaseHarness.open(refundRequestDefinitionV3, { ...SAMPLE_FACTS.refund_request, ...facts });
}

function rejectedByMerchant(): CaseHarness {
  const request = submitted();
  request.send('REJECT', { reason: 'Used item' }, MERCHANT);
  return request;
}

const offered = (request: CaseHarness, sender: EventSender) => allowedEvents(refundRequestDefinitionV3, restoreSnapshot(refundRequestDefinitionV3, request.snapshot), sender);

describe('refund request v3: the customer contests a merchant rejection', () => {
  it('a contested rejection goes to support review; the merchant and agents hear of it, and an agent may then refund', () => {
    const request = rejectedByMerchant();
    expect(request.state).toBe('resolved');
    expect(offered(request, CUSTOMER)).toEqual(['APPEAL']);
    expect(offered(request, MERCHANT)).toEqual([]);

    request.send('APPEAL', { reason: 'It arrived broken' }, CUSTOMER);
    expect(request.state).toBe('underReview.reviewing');
    expect(request.last.slaPhase).toBe('running');
    expect(request.context.contest).toEqual({ reason: 'It arrived broken', rejectedReason: 'Used item' });
    expect(request.context.decision).toBeNull();
    expect(request.effects('notify')).toEqual([{ type: 'notify', params: { topic: 'refund_request.rejection_contested', audience: ['merchant', 'agents'] } }]);
    expect(request.pendingDeadlines()).toEqual([]);
    // The merchant may still concede, but not reject again: support decides.
    expect(offered(request, MERCHANT)).toEqual(['APPROVE_FULL_REFUND', 'APPROVE_PARTIAL_REFUND']);
    expect(catchDomainError(() => request.send('REJECT', { reason: 'Still used' }, MERCHANT)).code).toBe(DomainErrorCode.EventNotPermitted);

    request.send('APPROVE_FULL_REFUND', { reason: 'Photos show transport damage' }, ANN);
    expect(request.state).toBe('refunding.pending');
    expect(request.context.decision).toEqual({ outcome: 'full_refund', amountMinor: 10_000, reason: 'Photos show transport damage', decidedAt: 'support_review' });
  });

  it('only once, and only against the merchant: a support rejection, a contest of a contest or an approval cannot be contested', () => {
    const request = rejectedByMerchant();
    request.send('APPEAL', { reason: 'It arrived broken' }, CUSTOMER);
    request.send('REJECT', { reason: 'The photos show wear' }, ANN);
    expect(request.state).toBe('resolved');
    expect(catchDomainError(() => request.send('APPEAL', { reason: 'Again' }, CUSTOMER)).code).toBe(DomainErrorCode.EventNotAllowed);

    const bySupport = submitted();
    bySupport.send('START_REVIEW', {}, ANN);
    bySupport.send('REJECT', { reason: 'Outside the conditions' }, ANN);
    expect(offered(bySupport, CUSTOMER)).toEqual([]);
    expect(catchDomainError(() => bySupport.send('APPEAL', { reason: 'Please' }, CUSTOMER)).code).toBe(DomainErrorCode.EventNotAllowed);

    // A merchant may not contest for the customer.
    expect(catchDomainError(() => rejectedByMerchant().send('APPEAL', { reason: 'x' }, MERCHANT)).code).toBe(DomainErrorCode.EventNotPermitted);
  });

  it('an uncontested rejection closes when the appeal window ends', () => {
    const request = rejectedByMerchant();
    request.fire('appealWindow');
    expect(request.state).toBe('closed');
  });

  it("opens under the merchant's own policy when one is given: its window, fee and partial rule decide", () => {
    const request = submitted({ refundPolicy: MERCHANT_POLICY, purchasedAt: '2025-03-05T08:00:00.000Z' });
    expect(request.context.policy).toEqual(MERCHANT_POLICY);
    const partial = catchDomainError(() => request.send('APPROVE_PARTIAL_REFUND', { amountMinor: 1_000, reason: 'Box missing' }, MERCHANT));
    expect([partial.code, partial.details]).toEqual([DomainErrorCode.RefundOutsidePolicy, { rule: 'partial_refunds_not_allowed' }]);
    request.send('APPROVE_FULL_REFUND', { reason: 'Returned' }, MERCHANT);
    expect(request.effects('requestRefund')[0]!.params).toMatchObject({ amountMinor: 9_700 });

    // Nine days after the purchase: outside the merchant's seven, though within the global thirty.
    const late = submitted({ refundPolicy: MERCHANT_POLICY });
    expect(catchDomainError(() => late.send('APPROVE_FULL_REFUND', { reason: 'Returned' }, MERCHANT)).code).toBe(DomainErrorCode.RefundOutsidePolicy);
    // Without one, the global policy.
    expect(submitted().context.policy).toEqual({ refundWindowDays: 30, partialRefundsAllowed: true, nonRefundableFeeMinor: 0 });
  });

  it('replays a contested case to the same snapshot', () => {
    const request = rejectedByMerchant();
    request.send('APPEAL', { reason: 'It arrived broken' }, CUSTOMER);
    request.send('APPROVE_PARTIAL_REFUND', { amountMinor: 4_000, reason: 'Half' }, ANN);
    request.send('REFUND_SUCCEEDED', { gatewayRefundId: 'rf_1' }, { kind: 'system' });
    expect(request.state).toBe('resolved');
    expect(replayEvents(refundRequestDefinitionV3, request.input, request.log)).toEqual(request.snapshot);
  });
});
