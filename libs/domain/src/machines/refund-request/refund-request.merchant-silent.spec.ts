import { DomainErrorCode } from '../../errors';
import { DEFAULT_WINDOWS, MAX_AUTOMATIC_REFUND_ATTEMPTS } from '../windows';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { refundRequestDefinitionV1 } from './refund-request.definition';

describe('refund request: the merchant stays silent, support decides', () => {
  function escalated(): CaseHarness {
    const request = CaseHarness.open(refundRequestDefinitionV1, SAMPLE_FACTS.refund_request);
    expect(request.effects('notify')).toEqual([{ type: 'notify', params: { topic: 'refund_request.submitted', audience: ['merchant'] } }]);
    expect(request.deadline('merchantResponseWindow').delayMs).toBe(DEFAULT_WINDOWS.merchantResponseMs);
    request.fire('merchantResponseWindow');
    return request;
  }

  it('hands the request to support instead of refunding by the clock', () => {
    const request = escalated();
    expect(request.state).toBe('underReview.reviewing');
    expect(request.effects()).toEqual([{ type: 'notify', params: { topic: 'refund_request.merchant_silent', audience: ['agents'] } }]);
    expect(request.context.decision).toBeNull();
  });

  it('rejects when the customer does not answer a question in time, then closes', () => {
    const request = escalated();
    request.send('REQUEST_CUSTOMER_INFO', { question: 'Photo of the item?' }, SENDERS.agent);
    request.fire('infoReplyWindow');
    expect(request.state).toBe('resolved');
    expect(request.context.decision).toEqual({ outcome: 'rejected', amountMinor: 0, reason: 'customer_did_not_respond', decidedAt: 'deadline' });
    request.fire('appealWindow');
    expect(request.status).toBe('done');
  });

  it('does not let the merchant or the customer decide in review by sending events they may not send', () => {
    const request = escalated();
    expect(catchDomainError(() => request.send('APPROVE_FULL_REFUND', { reason: 'me' }, SENDERS.customer)).code).toBe(DomainErrorCode.EventNotPermitted);
    expect(catchDomainError(() => request.send('START_REVIEW', {}, SENDERS.merchant)).code).toBe(DomainErrorCode.EventNotPermitted);
  });

  it('retries a failed refund automatically, then waits for an agent', () => {
    const request = escalated();
    request.send('APPROVE_FULL_REFUND', { reason: 'Item defective' }, SENDERS.agent);
    for (let attempt = 2; attempt <= MAX_AUTOMATIC_REFUND_ATTEMPTS; attempt++) {
      request.send('REFUND_FAILED', { failureReason: 'gateway_timeout' }, SENDERS.system);
      request.fire('refundRetryBackoff');
      expect(request.effects('requestRefund')).toEqual([{ type: 'requestRefund', params: { amountMinor: 10_000, currency: 'CNY', attempt } }]);
    }
    request.send('REFUND_FAILED', { failureReason: 'gateway_timeout' }, SENDERS.system);
    expect(request.fire('refundRetryBackoff')).toBeUndefined();
    request.send('RETRY_REFUND', {}, SENDERS.agent);
    request.send('REFUND_SUCCEEDED', { gatewayRefundId: 'rf_1' }, SENDERS.system);
    expect(request.state).toBe('resolved');
    expect(request.context.refundedMinor).toBe(10_000);
  });

  it('lets the customer withdraw while the request is open', () => {
    const request = escalated();
    request.send('WITHDRAW', {}, SENDERS.customer);
    expect(request.state).toBe('withdrawn');
    expect(request.status).toBe('done');
  });
});
