import { DomainErrorCode } from '../../errors';
import { DEFAULT_WINDOWS, MAX_SETTLEMENT_CHECKS } from '../windows';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { replayEvents } from '../../engine/case-transition';
import { balanceDiscrepancyDefinitionV2 } from './balance-discrepancy.v2.definition';

function explainedByPending(): CaseHarness {
  const discrepancy = CaseHarness.open(balanceDiscrepancyDefinitionV2, SAMPLE_FACTS.balance_discrepancy);
  discrepancy.send('START_PENDING_CHECK', {}, SENDERS.agent);
  discrepancy.send('PENDING_CHECKED', { explained: true, pendingTransactionRefs: ['TX_TOPUP_7'], note: 'Top-up still settling' }, SENDERS.agent);
  return discrepancy;
}

describe('balance discrepancy v2: "explained by pending" closes only once the wallet shows it settled', () => {
  it("asks the wallet instead of resolving on the agent's word", () => {
    const discrepancy = explainedByPending();
    expect(discrepancy.state).toBe('confirmingSettlement.checking');
    expect(discrepancy.effects()).toEqual([{ type: 'checkPendingTransactions', params: { refs: ['TX_TOPUP_7'], attempt: 1 } }]);
    expect(discrepancy.context.outcome).toBeNull();
  });

  it('refuses "explained" without naming the pending transactions', () => {
    const discrepancy = CaseHarness.open(balanceDiscrepancyDefinitionV2, SAMPLE_FACTS.balance_discrepancy);
    discrepancy.send('START_PENDING_CHECK', {}, SENDERS.agent);
    const error = catchDomainError(() => discrepancy.send('PENDING_CHECKED', { explained: true, pendingTransactionRefs: [], note: 'trust me' }, SENDERS.agent));
    expect(error.code).toBe(DomainErrorCode.ValidationFailed);
  });

  it('resolves as explained when the wallet shows them settled, and only the system may say so', () => {
    const discrepancy = explainedByPending();
    expect(catchDomainError(() => discrepancy.send('PENDING_SETTLED', { settledRefs: ['TX_TOPUP_7'] }, SENDERS.agent)).code).toBe(DomainErrorCode.EventNotPermitted);
    discrepancy.send('PENDING_SETTLED', { settledRefs: ['TX_TOPUP_7'] }, SENDERS.system);
    expect(discrepancy.state).toBe('resolved');
    expect(discrepancy.context).toMatchObject({ outcome: 'explained_by_pending', settlementChecks: 1 });
  });

  it('re-checks after a backoff while they are still open, a bounded number of times, then hands over to an agent', () => {
    const discrepancy = explainedByPending();
    for (let attempt = 1; attempt < MAX_SETTLEMENT_CHECKS; attempt++) {
      discrepancy.send('PENDING_STILL_OPEN', { openRefs: ['TX_TOPUP_7'] }, SENDERS.system);
      expect(discrepancy.state).toBe('confirmingSettlement.waitingToRecheck');
      expect(discrepancy.deadline('pendingRecheckBackoff').delayMs).toBe(DEFAULT_WINDOWS.pendingRecheckMs);
      discrepancy.fire('pendingRecheckBackoff');
      expect(discrepancy.effects()).toEqual([{ type: 'checkPendingTransactions', params: { refs: ['TX_TOPUP_7'], attempt: attempt + 1 } }]);
    }
    discrepancy.send('PENDING_STILL_OPEN', { openRefs: ['TX_TOPUP_7'] }, SENDERS.system);
    discrepancy.fire('pendingRecheckBackoff');
    expect(discrepancy.state).toBe('confirmingSettlement.stillPending');
    expect(discrepancy.effects()).toEqual([{ type: 'notify', params: { topic: 'balance_discrepancy.pending_not_settled', audience: ['agents'], alert: true } }]);
    expect(discrepancy.context.stillOpenRefs).toEqual(['TX_TOPUP_7']);

    // The agent may ask once more, or decide.
    discrepancy.send('RECHECK_PENDING', {}, SENDERS.agent);
    expect(discrepancy.effects('checkPendingTransactions')).toHaveLength(1);
    discrepancy.send('PENDING_SETTLED', { settledRefs: ['TX_TOPUP_7'] }, SENDERS.system);
    expect(discrepancy.context.outcome).toBe('explained_by_pending');
    expect(replayEvents(balanceDiscrepancyDefinitionV2, discrepancy.input, discrepancy.log)).toEqual(discrepancy.snapshot);
  });

  it('lets the agent propose a correction when the pending transaction never settles', () => {
    const discrepancy = explainedByPending();
    for (let attempt = 1; attempt <= MAX_SETTLEMENT_CHECKS; attempt++) {
      discrepancy.send('PENDING_STILL_OPEN', { openRefs: ['TX_TOPUP_7'] }, SENDERS.system);
      discrepancy.fire('pendingRecheckBackoff');
    }
    discrepancy.send('PROPOSE_CORRECTION', { amountMinor: 500, direction: 'credit', reason: 'Top-up failed at the bank' }, SENDERS.agent);
    expect(discrepancy.state).toBe('correctionProposed');
  });
});

describe('balance discrepancy v2: the wallet confirms a posted correction', () => {
  function posting(): CaseHarness {
    const discrepancy = CaseHarness.open(balanceDiscrepancyDefinitionV2, SAMPLE_FACTS.balance_discrepancy);
    discrepancy.send('START_PENDING_CHECK', {}, SENDERS.agent);
    discrepancy.send('PENDING_CHECKED', { explained: false, pendingTransactionRefs: [], note: 'Nothing pending' }, SENDERS.agent);
    discrepancy.send('PROPOSE_CORRECTION', { amountMinor: 500, direction: 'credit', reason: 'Cashback never credited' }, SENDERS.agent);
    discrepancy.send('APPROVE_CORRECTION', {}, SENDERS.supervisor);
    return discrepancy;
  }

  it('resolves on CORRECTION_POSTED from the system, which no agent can claim', () => {
    const discrepancy = posting();
    expect(discrepancy.state).toBe('postingCorrection.awaitingWallet');
    for (const sender of [SENDERS.agent, SENDERS.supervisor, { kind: 'agent', role: 'admin' } as const]) {
      expect(catchDomainError(() => discrepancy.send('CORRECTION_POSTED', { ledgerEntryRef: 'le_1' }, sender)).code).toBe(DomainErrorCode.EventNotPermitted);
    }
    discrepancy.send('CORRECTION_POSTED', { ledgerEntryRef: 'LE-77' }, SENDERS.system);
    expect(discrepancy.state).toBe('resolved');
    expect(discrepancy.context).toMatchObject({ outcome: 'corrected', ledgerEntryRef: 'LE-77', correctionOverdue: false });
    expect(discrepancy.pendingDeadlines()).toEqual(['appealWindow']);
  });

  it('tells the agents when the posting stays unconfirmed, without posting again', () => {
    const discrepancy = posting();
    discrepancy.fire('walletConfirmationWindow');
    expect(discrepancy.state).toBe('postingCorrection.confirmationOverdue');
    expect(discrepancy.effects()).toEqual([{ type: 'notify', params: { topic: 'balance_discrepancy.correction_unconfirmed', audience: ['agents'], alert: true } }]);
    expect(discrepancy.context.correctionOverdue).toBe(true);
    discrepancy.send('CORRECTION_POSTED', { ledgerEntryRef: 'LE-78' }, SENDERS.system);
    expect(discrepancy.context.outcome).toBe('corrected');
  });
});
