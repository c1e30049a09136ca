import { DomainErrorCode } from '../../errors';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { paymentFailureDefinitionV2 } from './payment-failure.v2.definition';

function investigating(facts = SAMPLE_FACTS.payment_failure): CaseHarness {
  const failure = CaseHarness.open(paymentFailureDefinitionV2, facts);
  failure.send('START_INVESTIGATION', {}, SENDERS.agent);
  return failure;
}

describe('payment failure v2: the cause is recorded before any decision', () => {
  it('offers no decision until the agent records a cause, then keeps it in the case', () => {
    const failure = investigating();
    const error = catchDomainError(() => failure.send('REVERSE_PAYMENT', { reason: 'Debited' }, SENDERS.agent));
    expect(error.code).toBe(DomainErrorCode.EventNotAllowed);
    expect(error.details.allowedEvents).toEqual(['REQUEST_CUSTOMER_INFO', 'RECORD_CAUSE', 'PAYMENT_COMPLETED']);

    failure.send('RECORD_CAUSE', { cause: 'risk_control', note: 'Blocked by the fraud rules after debit' }, SENDERS.agent);
    expect(failure.state).toBe('investigating.tracing');
    expect(failure.context).toMatchObject({ cause: 'risk_control', causeNote: 'Blocked by the fraud rules after debit' });
    failure.send('RECORD_CAUSE', { cause: 'bank' }, SENDERS.agent);
    expect(failure.context).toMatchObject({ cause: 'bank', causeNote: null });
  });

  it('refuses a cause outside the taxonomy', () => {
    const failure = investigating();
    expect(catchDomainError(() => failure.send('RECORD_CAUSE', { cause: 'gremlins' }, SENDERS.agent)).code).toBe(DomainErrorCode.ValidationFailed);
  });

  it('records a cause while the customer is being asked, without leaving that state', () => {
    const failure = investigating();
    failure.send('REQUEST_CUSTOMER_INFO', { question: 'Screenshot?' }, SENDERS.agent);
    failure.send('RECORD_CAUSE', { cause: 'network' }, SENDERS.agent);
    expect(failure.state).toBe('investigating.awaitingCustomerInfo');
  });
});

describe('payment failure v2: no money taken', () => {
  it('closes as no_funds_taken once the wallet shows the transaction failed', () => {
    const failure = investigating();
    failure.send('RECORD_CAUSE', { cause: 'insufficient_balance' }, SENDERS.agent);
    failure.send('CLOSE_NO_FUNDS_TAKEN', { reason: 'Declined for balance; nothing captured' }, SENDERS.agent);
    expect(failure.state).toBe('verifyingNoFundsTaken');
    expect(failure.effects()).toEqual([{ type: 'checkTransactionStatus', params: { transactionRef: 'tx_payment_1' } }]);
    expect(catchDomainError(() => failure.send('WALLET_TRANSACTION_STATUS', { status: 'failed' }, SENDERS.agent)).code).toBe(DomainErrorCode.EventNotPermitted);

    failure.send('WALLET_TRANSACTION_STATUS', { status: 'failed' }, SENDERS.system);
    expect(failure.state).toBe('resolved');
    expect(failure.context).toMatchObject({
      outcome: 'no_funds_taken',
      noFundsTakenVerifiedBy: 'wallet',
      walletStatus: 'failed',
      outcomeNote: 'Declined for balance; nothing captured',
    });
    expect(failure.effects('requestRefund')).toEqual([]);
  });

  it('goes back to the agent when the wallet shows the money captured', () => {
    const failure = investigating();
    failure.send('RECORD_CAUSE', { cause: 'merchant' }, SENDERS.agent);
    failure.send('CLOSE_NO_FUNDS_TAKEN', { reason: 'Customer says nothing left the account' }, SENDERS.agent);
    failure.send('WALLET_TRANSACTION_STATUS', { status: 'captured' }, SENDERS.system);
    expect(failure.state).toBe('investigating.tracing');
    expect(failure.effects()).toEqual([{ type: 'notify', params: { topic: 'payment_failure.funds_taken', audience: ['agents'], alert: true } }]);
    expect(failure.context.outcome).toBeNull();

    // Asked again, the wallet is asked again (the last answer is not reused).
    failure.send('CLOSE_NO_FUNDS_TAKEN', { reason: 'The merchant reversed it since' }, SENDERS.agent);
    expect(failure.state).toBe('verifyingNoFundsTaken');
    failure.send('WALLET_TRANSACTION_STATUS', { status: 'reversed' }, SENDERS.system);
    expect(failure.context.outcome).toBe('no_funds_taken');
  });

  it("takes the agent's reason when the case names no transaction", () => {
    const failure = investigating({ ...SAMPLE_FACTS.payment_failure, transactionRef: null });
    failure.send('RECORD_CAUSE', { cause: 'network' }, SENDERS.agent);
    failure.send('CLOSE_NO_FUNDS_TAKEN', { reason: 'Bank statement shows no debit' }, SENDERS.agent);
    expect(failure.state).toBe('resolved');
    expect(failure.context).toMatchObject({ outcome: 'no_funds_taken', noFundsTakenVerifiedBy: 'agent', outcomeNote: 'Bank statement shows no debit' });
  });
});
