import { DomainErrorCode } from '../../errors';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { paymentFailureDefinitionV1 } from './payment-failure.definition';

describe('payment failure: investigation outcomes', () => {
  it('carries on with the investigation when the customer does not answer', () => {
    const failure = CaseHarness.open(paymentFailureDefinitionV1, SAMPLE_FACTS.payment_failure);
    failure.send('START_INVESTIGATION', {}, SENDERS.agent);
    failure.send('REQUEST_CUSTOMER_INFO', { question: 'Screenshot of the error?' }, SENDERS.agent);
    expect(failure.state).toBe('investigating.awaitingCustomerInfo');
    failure.fire('infoReplyWindow');

    expect(failure.state).toBe('investigating.tracing');
    expect(failure.effects()).toEqual([{ type: 'notify', params: { topic: 'payment_failure.customer_silent', audience: ['agents'] } }]);
    expect(failure.context.outcome).toBeNull();
  });

  it('lets the gateway report a late completion before anyone looks at the case', () => {
    const failure = CaseHarness.open(paymentFailureDefinitionV1, SAMPLE_FACTS.payment_failure);
    failure.send('PAYMENT_COMPLETED', { note: 'Settled late by the acquirer' }, SENDERS.system);
    expect(failure.state).toBe('resolved');
    expect(failure.context).toMatchObject({ outcome: 'completed', refundedMinor: 0 });
    expect(failure.effects('requestRefund')).toEqual([]);
  });

  it('refuses a late completion once the reversal has started', () => {
    const failure = CaseHarness.open(paymentFailureDefinitionV1, SAMPLE_FACTS.payment_failure);
    failure.send('START_INVESTIGATION', {}, SENDERS.agent);
    failure.send('REVERSE_PAYMENT', { reason: 'Debited' }, SENDERS.agent);
    const error = catchDomainError(() => failure.send('PAYMENT_COMPLETED', { note: 'late' }, SENDERS.system));
    expect(error.code).toBe(DomainErrorCode.EventNotAllowed);
    expect(error.details.allowedEvents).toEqual(['REFUND_SUCCEEDED', 'REFUND_FAILED']);
  });

  it('closes without action when nothing is owed', () => {
    const failure = CaseHarness.open(paymentFailureDefinitionV1, SAMPLE_FACTS.payment_failure);
    failure.send('START_INVESTIGATION', {}, SENDERS.agent);
    failure.send('CLOSE_NO_ACTION', { reason: 'Authorisation released' }, SENDERS.agent);
    expect(failure.context).toMatchObject({ outcome: 'no_action', outcomeNote: 'Authorisation released' });
  });

  it('lets only agents reverse a payment', () => {
    const failure = CaseHarness.open(paymentFailureDefinitionV1, SAMPLE_FACTS.payment_failure);
    failure.send('START_INVESTIGATION', {}, SENDERS.agent);
    for (const sender of [SENDERS.customer, SENDERS.merchant, SENDERS.system]) {
      expect(catchDomainError(() => failure.send('REVERSE_PAYMENT', { reason: 'me' }, sender)).code).toBe(DomainErrorCode.EventNotPermitted);
    }
  });
});
