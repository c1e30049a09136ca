import { DomainErrorCode } from '../../errors';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { balanceDiscrepancyDefinitionV1 } from './balance-discrepancy.definition';

const PROPOSAL = { amountMinor: 500, direction: 'credit', reason: 'Cashback never credited' };

describe('balance discrepancy: pending transactions are checked before any correction', () => {
  it('allows no correction before the pending check has a result', () => {
    const discrepancy = CaseHarness.open(balanceDiscrepancyDefinitionV1, SAMPLE_FACTS.balance_discrepancy);
    const inOpen = catchDomainError(() => discrepancy.send('PROPOSE_CORRECTION', PROPOSAL, SENDERS.agent));
    expect(inOpen.code).toBe(DomainErrorCode.EventNotAllowed);
    expect(inOpen.details.allowedEvents).toEqual(['START_PENDING_CHECK']);

    discrepancy.send('START_PENDING_CHECK', {}, SENDERS.agent);
    for (const [type, payload] of [
      ['PROPOSE_CORRECTION', PROPOSAL],
      ['APPROVE_CORRECTION', {}],
      ['RESOLVE_WITHOUT_CORRECTION', { reason: 'fine' }],
    ] as const) {
      const error = catchDomainError(() => discrepancy.send(type, payload, SENDERS.supervisor));
      expect({ type, code: error.code }).toEqual({ type, code: DomainErrorCode.EventNotAllowed });
    }
    expect(discrepancy.state).toBe('checkingPendingTransactions');
  });

  it('resolves without a correction when pending transactions explain the difference', () => {
    const discrepancy = CaseHarness.open(balanceDiscrepancyDefinitionV1, SAMPLE_FACTS.balance_discrepancy);
    discrepancy.send('START_PENDING_CHECK', {}, SENDERS.agent);
    discrepancy.send('PENDING_CHECKED', { explained: true, pendingTransactionRefs: ['tx_9'], note: 'Top-up still settling' }, SENDERS.system);

    expect(discrepancy.state).toBe('resolved');
    expect(discrepancy.context).toMatchObject({ outcome: 'explained_by_pending', outcomeNote: 'Top-up still settling', proposal: null });
    expect(discrepancy.effects('postBalanceCorrection')).toEqual([]);
    expect(discrepancy.effects('notify').map((effect) => (effect.params as { topic: string }).topic)).toEqual([
      'balance_discrepancy.explained_by_pending',
      'balance_discrepancy.resolved',
    ]);
  });

  it('asks for a correction decision when pending transactions do not explain it', () => {
    const discrepancy = CaseHarness.open(balanceDiscrepancyDefinitionV1, SAMPLE_FACTS.balance_discrepancy);
    discrepancy.send('START_PENDING_CHECK', {}, SENDERS.agent);
    discrepancy.send('PENDING_CHECKED', { explained: false, pendingTransactionRefs: [], note: 'Nothing pending' }, SENDERS.agent);
    expect(discrepancy.state).toBe('correctionNeeded');
    expect(discrepancy.context.pendingCheck).toEqual({ explained: false, pendingTransactionRefs: [], note: 'Nothing pending' });

    discrepancy.send('RESOLVE_WITHOUT_CORRECTION', { reason: 'A card fee, shown on the statement' }, SENDERS.agent);
    expect(discrepancy.context.outcome).toBe('no_correction');
  });
});
