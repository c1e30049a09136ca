import { currentDefinition, definitionFor } from './registry';
import { CaseHarness, SENDERS } from '../testing/case-harness';
import { SAMPLE_FACTS } from '../testing/sample-facts';

/**
 * A case keeps the machine version it opened on: a v1 case in flight and a new v2 case of the
 * same kind advance side by side, each by its own rules.
 */
describe('v1 and v2 cases of the same kind in flight together', () => {
  it('opens new cases on v2 of the three changed kinds', () => {
    for (const kind of ['account_security', 'balance_discrepancy', 'payment_failure'] as const) expect(currentDefinition(kind).version).toBe(2);
  });

  it('account_security: v1 waits on the customer from the start, v2 waits on the wallet with the clocks running', () => {
    const v1 = CaseHarness.open(definitionFor('account_security', 1), SAMPLE_FACTS.account_security);
    const v2 = CaseHarness.open(definitionFor('account_security', 2), SAMPLE_FACTS.account_security);
    expect([v1.state, v1.last.slaPhase]).toEqual(['frozen.verifyingIdentity', 'paused']);
    expect([v2.state, v2.last.slaPhase]).toEqual(['freezing.awaitingWallet', 'running']);

    v1.send('IDENTITY_VERIFIED', { method: 'video_call', note: 'ok' }, SENDERS.agent);
    v2.send('ACCOUNT_FROZEN', {}, SENDERS.system);
    v2.send('IDENTITY_VERIFIED', { method: 'video_call', note: 'ok' }, SENDERS.agent);
    v1.send('UNFREEZE', { reason: 'false alarm' }, SENDERS.agent);
    v2.send('UNFREEZE', { reason: 'false alarm' }, SENDERS.agent);
    expect(v1.state).toBe('resolved');
    expect(v2.state).toBe('unfreezing.awaitingWallet');
    v2.send('ACCOUNT_UNFROZEN', {}, SENDERS.system);
    expect([v1.context.outcome, v2.context.outcome]).toEqual(['unfrozen', 'unfrozen']);
  });

  it('balance_discrepancy: v1 resolves on "explained by pending", v2 asks the wallet first', () => {
    const [v1, v2] = [1, 2].map((version) => {
      const discrepancy = CaseHarness.open(definitionFor('balance_discrepancy', version), SAMPLE_FACTS.balance_discrepancy);
      discrepancy.send('START_PENDING_CHECK', {}, SENDERS.agent);
      discrepancy.send('PENDING_CHECKED', { explained: true, pendingTransactionRefs: ['TX_1'], note: 'settling' }, SENDERS.agent);
      return discrepancy;
    });
    expect(v1!.state).toBe('resolved');
    expect(v2!.state).toBe('confirmingSettlement.checking');
    v2!.send('PENDING_SETTLED', { settledRefs: ['TX_1'] }, SENDERS.system);
    expect(v2!.state).toBe('resolved');
  });

  it('payment_failure: v1 reverses without a cause, v2 needs one', () => {
    const [v1, v2] = [1, 2].map((version) => {
      const failure = CaseHarness.open(definitionFor('payment_failure', version), SAMPLE_FACTS.payment_failure);
      failure.send('START_INVESTIGATION', {}, SENDERS.agent);
      return failure;
    });
    v1!.send('REVERSE_PAYMENT', { reason: 'Debited' }, SENDERS.agent);
    expect(v1!.state).toBe('reversing.pending');
    expect(() => v2!.send('REVERSE_PAYMENT', { reason: 'Debited' }, SENDERS.agent)).toThrow(/not allowed/);
    v2!.send('RECORD_CAUSE', { cause: 'bank' }, SENDERS.agent);
    v2!.send('REVERSE_PAYMENT', { reason: 'Debited' }, SENDERS.agent);
    expect(v2!.state).toBe('reversing.pending');
  });
});
