import { DomainErrorCode } from '../../errors';
import { replayEvents } from '../../engine/case-transition';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { balanceDiscrepancyDefinitionV1 } from './balance-discrepancy.definition';

function proposed(): CaseHarness {
  const discrepancy = CaseHarness.open(balanceDiscrepancyDefinitionV1, SAMPLE_FACTS.balance_discrepancy);
  discrepancy.send('START_PENDING_CHECK', {}, SENDERS.agent);
  discrepancy.send('PENDING_CHECKED', { explained: false, pendingTransactionRefs: [], note: 'Nothing pending' }, SENDERS.agent);
  discrepancy.send('PROPOSE_CORRECTION', { amountMinor: 500, direction: 'credit', reason: 'Cashback never credited' }, SENDERS.agent);
  return discrepancy;
}

describe('balance discrepancy: a correction needs a supervisor', () => {
  it('tells the agents a correction awaits approval', () => {
    const discrepancy = proposed();
    expect(discrepancy.state).toBe('correctionProposed');
    expect(discrepancy.effects()).toEqual([{ type: 'notify', params: { topic: 'balance_discrepancy.correction_proposed', audience: ['agents'] } }]);
  });

  it('refuses approval by an agent without the supervisor role', () => {
    const discrepancy = proposed();
    const error = catchDomainError(() => discrepancy.send('APPROVE_CORRECTION', {}, SENDERS.agent));
    expect(error.code).toBe(DomainErrorCode.EventNotPermitted);
    expect(error.details.allowedEvents).toEqual([]);
    expect(catchDomainError(() => discrepancy.send('REJECT_CORRECTION', { reason: 'no' }, SENDERS.agent)).code).toBe(DomainErrorCode.EventNotPermitted);
  });

  it('posts the approved correction to the ledger, and resolves when the ledger confirms', () => {
    const discrepancy = proposed();
    discrepancy.send('APPROVE_CORRECTION', {}, SENDERS.supervisor);
    expect(discrepancy.state).toBe('postingCorrection');
    expect(discrepancy.effects('postBalanceCorrection')).toEqual([{ type: 'postBalanceCorrection', params: { amountMinor: 500, currency: 'CNY', direction: 'credit' } }]);

    discrepancy.send('CORRECTION_POSTED', { ledgerEntryRef: 'le_77' }, SENDERS.system);
    expect(discrepancy.state).toBe('resolved');
    expect(discrepancy.context).toMatchObject({ outcome: 'corrected', approvedCorrection: { amountMinor: 500, direction: 'credit' } });
    discrepancy.fire('appealWindow');
    expect(discrepancy.status).toBe('done');
    expect(replayEvents(balanceDiscrepancyDefinitionV1, discrepancy.input, discrepancy.log)).toEqual(discrepancy.snapshot);
  });

  it('lets an admin approve as well', () => {
    const discrepancy = proposed();
    discrepancy.send('APPROVE_CORRECTION', {}, { kind: 'agent', role: 'admin' });
    expect(discrepancy.state).toBe('postingCorrection');
  });

  it('sends a rejected proposal back to the agent without posting anything', () => {
    const discrepancy = proposed();
    discrepancy.send('REJECT_CORRECTION', { reason: 'Attach the campaign terms' }, SENDERS.supervisor);
    expect(discrepancy.state).toBe('correctionNeeded');
    expect(discrepancy.context).toMatchObject({ proposal: null, rejectedProposals: 1, approvedCorrection: null });
    expect(discrepancy.effects('postBalanceCorrection')).toEqual([]);
  });

  it('only lets the ledger confirm a posting', () => {
    const discrepancy = proposed();
    discrepancy.send('APPROVE_CORRECTION', {}, SENDERS.supervisor);
    expect(catchDomainError(() => discrepancy.send('CORRECTION_POSTED', { ledgerEntryRef: 'le_1' }, SENDERS.supervisor)).code).toBe(DomainErrorCode.EventNotPermitted);
  });
});
