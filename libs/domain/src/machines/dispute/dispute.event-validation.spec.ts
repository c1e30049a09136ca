import { DomainErrorCode } from '../../errors';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { disputeDefinitionV1 } from './dispute.definition';

describe('dispute: refused events', () => {
  function awaitingMerchant(): CaseHarness {
    const dispute = CaseHarness.open(disputeDefinitionV1, SAMPLE_FACTS.dispute);
    dispute.send('FORWARD_TO_MERCHANT', {}, SENDERS.agent);
    return dispute;
  }

  it('refuses a sender who may not send the event, listing what that sender may do now', () => {
    const dispute = awaitingMerchant();
    const error = catchDomainError(() => dispute.send('MERCHANT_ACCEPT', {}, SENDERS.customer));
    expect(error.code).toBe(DomainErrorCode.EventNotPermitted);
    expect(error.details.allowedEvents).toEqual(['WITHDRAW']);

    expect(catchDomainError(() => dispute.send('REFUND_SUCCEEDED', { gatewayRefundId: 'rf_1' }, SENDERS.agent)).code).toBe(DomainErrorCode.EventNotPermitted);
    expect(catchDomainError(() => dispute.send('FORWARD_TO_MERCHANT', {}, SENDERS.merchant)).code).toBe(DomainErrorCode.EventNotPermitted);
  });

  it('refuses an event the dispute machine does not know', () => {
    const dispute = awaitingMerchant();
    const error = catchDomainError(() => dispute.send('MAKE_COFFEE', {}, SENDERS.agent));
    expect(error.code).toBe(DomainErrorCode.UnknownEvent);
    expect(error.details.knownEvents).toEqual(Object.keys(disputeDefinitionV1.events));
  });

  it('refuses a bad payload with the fields at fault', () => {
    const dispute = awaitingMerchant();
    const missing = catchDomainError(() => dispute.send('MERCHANT_CONTEST', {}, SENDERS.merchant));
    expect(missing.code).toBe(DomainErrorCode.ValidationFailed);
    expect(missing.details.fields).toEqual([{ path: 'payload.summary', message: 'Required' }]);

    const extra = catchDomainError(() => dispute.send('MERCHANT_CONTEST', { summary: 'ok', refundTo: 'me' }, SENDERS.merchant));
    expect(extra.code).toBe(DomainErrorCode.ValidationFailed);
    expect(extra.details.fields).toEqual([{ path: 'payload', message: expect.stringContaining('refundTo') }]);

    dispute.send('MERCHANT_CONTEST', { summary: 'Delivered' }, SENDERS.merchant);
    const fractional = catchDomainError(() => dispute.send('DECIDE_PARTIAL_REFUND', { amountMinor: 10.5, reason: 'x' }, SENDERS.agent));
    expect(fractional.code).toBe(DomainErrorCode.ValidationFailed);
    expect(fractional.details.fields).toEqual([{ path: 'payload.amountMinor', message: expect.any(String) }]);
  });

  it('refuses an event the current state does not allow, listing the allowed ones', () => {
    const dispute = awaitingMerchant();
    const error = catchDomainError(() => dispute.send('DECIDE_REJECT', { reason: 'too early' }, SENDERS.agent));
    expect(error.code).toBe(DomainErrorCode.EventNotAllowed);
    expect(error.details).toMatchObject({ state: 'awaitingMerchant', allowedEvents: ['WITHDRAW', 'MERCHANT_ACCEPT', 'MERCHANT_CONTEST'] });
  });

  it('leaves the case as it was after a refusal', () => {
    const dispute = awaitingMerchant();
    const before = dispute.snapshot;
    catchDomainError(() => dispute.send('DECIDE_REJECT', { reason: 'too early' }, SENDERS.agent));
    expect(dispute.snapshot).toBe(before);
    expect(dispute.log).toHaveLength(1);
  });

  it('refuses to open a dispute without an amount or with an unknown reason', () => {
    expect(disputeDefinitionV1.validateFacts({ ...SAMPLE_FACTS.dispute, amount: null })?.code).toBe(DomainErrorCode.ValidationFailed);
    expect(disputeDefinitionV1.validateFacts({ ...SAMPLE_FACTS.dispute, reason: 'bored' })?.details.fields).toEqual([
      { path: 'reason', message: expect.stringContaining('not_received') },
    ]);
  });
});
