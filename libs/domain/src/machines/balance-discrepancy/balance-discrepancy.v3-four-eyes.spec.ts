import { allowedEvents, replayEvents, restoreSnapshot, type EventSender } from '../../engine/case-transition';
import { DomainErrorCode } from '../../errors';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { balanceDiscrepancyDefinitionV3 } from './balance-discrepancy.v3.definition';

const ANN: EventSender = { kind: 'agent', role: 'agent', id: 'agent-ann' };
const BOB: EventSender = { kind: 'agent', role: 'agent', id: 'agent-bob' };
const SUE: EventSender = { kind: 'agent', role: 'supervisor', id: 'sup-sue' };
const SAM: EventSender = { kind: 'agent', role: 'supervisor', id: 'sup-sam' };
const ADA: EventSender = { kind: 'agent', role: 'admin', id: 'admin-ada' };
const ALF: EventSender = { kind: 'agent', role: 'admin', id: 'admin-alf' };

/** A discrepancy that pending transactions do not explain, with a correction proposed by `proposer`. */
function proposed(proposer: EventSender, amountMinor = 500, direction: 'credit' | 'debit' = 'credit'): CaseHarness {
  const discrepancy = CaseHarness.open(balanceDiscrepancyDefinitionV3, SAMPLE_FACTS.balance_discrepancy);
  discrepancy.send('START_PENDING_CHECK', {}, BOB);
  discrepancy.send('PENDING_CHECKED', { explained: false, pendingTransactionRefs: [], note: 'Nothing pending' }, BOB);
  discrepancy.send('PROPOSE_CORRECTION', { amountMinor, direction, reason: 'Cashback never credited' }, proposer);
  return discrepancy;
}

const offered = (discrepancy: CaseHarness, sender: EventSender) =>
  allowedEvents(balanceDiscrepancyDefinitionV3, restoreSnapshot(balanceDiscrepancyDefinitionV3, discrepancy.snapshot), sender);

describe('balance discrepancy v3: a correction always needs a second person', () => {
  it('a proposed correction waits in awaitingApproval with its amount, currency, direction and proposer', () => {
    const discrepancy = proposed(ANN);
    expect(discrepancy.state).toBe('awaitingApproval');
    expect(discrepancy.last.slaPhase).toBe('running');
    expect(discrepancy.context.proposal).toEqual({
      action: 'balance_correction',
      amountMinor: 500,
      currency: 'CNY',
      direction: 'credit',
      reason: 'Cashback never credited',
      proposedBy: 'agent-ann',
    });
    expect(discrepancy.effects()).toEqual([{ type: 'notify', params: { topic: 'balance_discrepancy.approval_requested', audience: ['agents'], alert: true } }]);
    expect(discrepancy.pendingDeadlines()).toEqual(['approvalWindow']);
  });

  it('whoever proposed it may not approve it, however senior and however small the amount', () => {
    for (const proposer of [SUE, ADA]) {
      const discrepancy = proposed(proposer, 1);
      const refused = catchDomainError(() => discrepancy.send('APPROVE_CORRECTION', {}, proposer));
      expect([refused.code, refused.details]).toEqual([DomainErrorCode.SelfApproval, { proposedBy: proposer.id }]);
      expect(offered(discrepancy, proposer)).toEqual(['REJECT_CORRECTION']);
      expect(discrepancy.state).toBe('awaitingApproval');
    }
  });

  it('an agent may not approve or reject (role too low)', () => {
    const discrepancy = proposed(ANN);
    expect(catchDomainError(() => discrepancy.send('APPROVE_CORRECTION', {}, BOB)).code).toBe(DomainErrorCode.EventNotPermitted);
    expect(catchDomainError(() => discrepancy.send('REJECT_CORRECTION', { reason: 'no' }, BOB)).code).toBe(DomainErrorCode.EventNotPermitted);
    expect(offered(discrepancy, BOB)).toEqual([]);
  });

  it('an approver needs their own limit to cover the amount', () => {
    const discrepancy = proposed(ANN, 6_000_000, 'debit');
    const refused = catchDomainError(() => discrepancy.send('APPROVE_CORRECTION', {}, SUE));
    expect([refused.code, refused.details]).toEqual([DomainErrorCode.ApprovalLimitExceeded, { limitMinor: 5_000_000, currency: 'CNY' }]);
    expect(offered(discrepancy, SUE)).toEqual(['REJECT_CORRECTION']);
    discrepancy.send('APPROVE_CORRECTION', {}, ALF);
    expect(discrepancy.effects('postBalanceCorrection')).toEqual([{ type: 'postBalanceCorrection', params: { amountMinor: 6_000_000, currency: 'CNY', direction: 'debit' } }]);
  });

  it('a second supervisor approves: the wallet posts the correction and its callback resolves the case', () => {
    const discrepancy = proposed(SUE);
    discrepancy.send('APPROVE_CORRECTION', {}, SAM);
    expect(discrepancy.state).toBe('postingCorrection.awaitingWallet');
    expect(discrepancy.effects()).toEqual([{ type: 'postBalanceCorrection', params: { amountMinor: 500, currency: 'CNY', direction: 'credit' } }]);
    expect(discrepancy.context).toMatchObject({ proposal: null, approvedCorrection: { amountMinor: 500, direction: 'credit', reason: 'Cashback never credited' } });
    expect(discrepancy.pendingDeadlines()).toEqual(['walletConfirmationWindow']);

    discrepancy.send('CORRECTION_POSTED', { ledgerEntryRef: 'le_77' }, SENDERS.system);
    expect(discrepancy.context).toMatchObject({ outcome: 'corrected', ledgerEntryRef: 'le_77' });
    expect(discrepancy.log.map((event) => [event.type, (event.by as { id: string | null }).id])).toEqual([
      ['START_PENDING_CHECK', 'agent-bob'],
      ['PENDING_CHECKED', 'agent-bob'],
      ['PROPOSE_CORRECTION', 'sup-sue'],
      ['APPROVE_CORRECTION', 'sup-sam'],
      ['CORRECTION_POSTED', null],
    ]);
    expect(replayEvents(balanceDiscrepancyDefinitionV3, discrepancy.input, discrepancy.log)).toEqual(discrepancy.snapshot);
  });

  it('a rejected proposal goes back to the agent with nothing posted; the proposer may take their own back', () => {
    const discrepancy = proposed(ANN);
    discrepancy.send('REJECT_CORRECTION', { reason: 'Attach the campaign terms' }, SUE);
    expect(discrepancy.state).toBe('correctionNeeded');
    expect(discrepancy.context).toMatchObject({ proposal: null, rejectedProposals: 1, approvedCorrection: null });
    expect(discrepancy.effects('postBalanceCorrection')).toEqual([]);
    expect(discrepancy.pendingDeadlines()).toEqual([]);

    const own = proposed(SUE);
    own.send('REJECT_CORRECTION', { reason: 'Wrong amount, proposing again' }, SUE);
    expect(own.state).toBe('correctionNeeded');
  });

  it('a proposal waiting past its approval window is escalated and keeps waiting', () => {
    const discrepancy = proposed(ANN);
    const fired = discrepancy.fire('approvalWindow')!;
    expect(discrepancy.state).toBe('awaitingApproval');
    expect(fired.escalate).toBe(true);
    expect(discrepancy.context.approvalOverdue).toBe(true);
    expect(discrepancy.effects()).toEqual([{ type: 'notify', params: { topic: 'balance_discrepancy.approval_overdue', audience: ['agents'], alert: true } }]);
    discrepancy.send('APPROVE_CORRECTION', {}, SUE);
    expect(discrepancy.state).toBe('postingCorrection.awaitingWallet');
    expect(discrepancy.context.approvalOverdue).toBe(false);
  });
});
