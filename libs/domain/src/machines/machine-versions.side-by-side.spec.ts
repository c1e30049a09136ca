import { currentDefinition, definitionFor } from './registry';
import { CASE_KINDS } from '../cases/case-kind';
import { DomainErrorCode } from '../errors';
import type { EventSender } from '../engine/event-sender';
import { CaseHarness, SENDERS, catchDomainError } from '../testing/case-harness';
import { SAMPLE_FACTS } from '../testing/sample-facts';

/**
 * A case keeps the machine version it opened on: a v1 case in flight and a new v2 case of the
 * same kind advance side by side, each by its own rules.
 */
describe('v1 and v2 cases of the same kind in flight together', () => {
  it('opens new cases on the newest version of each kind (withdrawing while a proposal waits came after the merge)', () => {
    const current = Object.fromEntries(CASE_KINDS.map((kind) => [kind, currentDefinition(kind).version]));
    expect(current).toEqual({ dispute: 6, refund_request: 5, payment_failure: 4, balance_discrepancy: 4, account_security: 4, inquiry: 2 });
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

const ANN: EventSender = { kind: 'agent', role: 'agent', id: 'agent-ann' };
const SUE: EventSender = { kind: 'agent', role: 'supervisor', id: 'sup-sue' };

/**
 * Four eyes: the versions that gained approval states run beside the versions before them. A case
 * opened before keeps deciding alone; a new one waits for a second person.
 */
describe('cases from before and after four eyes in flight together', () => {
  it('dispute: v2 lets an agent refund ¥800 alone, v3 makes it a proposal a supervisor approves', () => {
    const [v2, v3] = [2, 3].map((version) => {
      const dispute = CaseHarness.open(definitionFor('dispute', version), { ...SAMPLE_FACTS.dispute, amount: { amountMinor: 80_000, currency: 'CNY' } });
      dispute.send('FORWARD_TO_MERCHANT', {}, ANN);
      dispute.send('MERCHANT_CONTEST', { summary: 'Delivered' }, SENDERS.merchant);
      return dispute;
    });
    v2!.send('DECIDE_FULL_REFUND', { reason: 'No proof of delivery' }, ANN);
    expect(catchDomainError(() => v3!.send('DECIDE_FULL_REFUND', { reason: 'No proof of delivery' }, ANN)).code).toBe(DomainErrorCode.ApprovalRequired);
    v3!.send('PROPOSE_FULL_REFUND', { reason: 'No proof of delivery' }, ANN);
    expect(v3!.state).toBe('awaitingApproval');
    v3!.send('APPROVE_PROPOSAL', {}, SUE);
    expect(v3!.effects('requestRefund')).toEqual(v2!.effects('requestRefund'));
    expect([v2!.state, v3!.state]).toEqual(['refunding.pending', 'refunding.pending']);
  });

  it('refund_request: v1 lets an agent refund ¥800 alone, v2 makes it a proposal a supervisor approves', () => {
    const [v1, v2] = [1, 2].map((version) => {
      const request = CaseHarness.open(definitionFor('refund_request', version), { ...SAMPLE_FACTS.refund_request, amount: { amountMinor: 80_000, currency: 'CNY' } });
      request.send('START_REVIEW', {}, ANN);
      return request;
    });
    v1!.send('APPROVE_FULL_REFUND', { reason: 'Returned' }, ANN);
    expect(v1!.state).toBe('refunding.pending');
    expect(catchDomainError(() => v2!.send('APPROVE_FULL_REFUND', { reason: 'Returned' }, ANN)).code).toBe(DomainErrorCode.ApprovalRequired);
    v2!.send('PROPOSE_FULL_REFUND', { reason: 'Returned' }, ANN);
    expect(v2!.state).toBe('awaitingApproval');
    v2!.send('APPROVE_PROPOSAL', {}, SUE);
    expect([v1!.effects('requestRefund'), v2!.effects('requestRefund')]).toEqual([
      [{ type: 'requestRefund', params: { amountMinor: 80_000, currency: 'CNY', attempt: 1 } }],
      [{ type: 'requestRefund', params: { amountMinor: 80_000, currency: 'CNY', attempt: 1 } }],
    ]);
    // v1 events carry no sender; v2 records who proposed and who approved.
    expect(v1!.log.at(-1)).not.toHaveProperty('by');
    expect(v2!.log.at(-1)).toMatchObject({ type: 'APPROVE_PROPOSAL', by: { id: 'sup-sue' } });
  });

  it('payment_failure: v2 lets an agent reverse ¥2,000 alone, v3 makes it a proposal a supervisor approves', () => {
    const [v2, v3] = [2, 3].map((version) => {
      const failure = CaseHarness.open(definitionFor('payment_failure', version), { ...SAMPLE_FACTS.payment_failure, amount: { amountMinor: 200_000, currency: 'CNY' } });
      failure.send('START_INVESTIGATION', {}, ANN);
      failure.send('RECORD_CAUSE', { cause: 'bank' }, ANN);
      return failure;
    });
    v2!.send('REVERSE_PAYMENT', { reason: 'Debited' }, ANN);
    expect(v2!.state).toBe('reversing.pending');
    expect(catchDomainError(() => v3!.send('REVERSE_PAYMENT', { reason: 'Debited' }, ANN)).code).toBe(DomainErrorCode.ApprovalRequired);
    v3!.send('PROPOSE_REVERSAL', { reason: 'Debited' }, ANN);
    expect(v3!.state).toBe('awaitingApproval');
    v3!.send('APPROVE_PROPOSAL', {}, SUE);
    expect(v3!.effects('requestRefund')).toEqual(v2!.effects('requestRefund'));
    for (const failure of [v2!, v3!]) failure.send('REFUND_SUCCEEDED', { gatewayRefundId: 'rf_1' }, SENDERS.system);
    expect([v2!.context.outcome, v3!.context.outcome]).toEqual(['reversed', 'reversed']);
  });

  it('balance_discrepancy: v2 lets a supervisor approve their own correction, v3 needs someone else', () => {
    const [v2, v3] = [2, 3].map((version) => {
      const discrepancy = CaseHarness.open(definitionFor('balance_discrepancy', version), SAMPLE_FACTS.balance_discrepancy);
      discrepancy.send('START_PENDING_CHECK', {}, ANN);
      discrepancy.send('PENDING_CHECKED', { explained: false, pendingTransactionRefs: [], note: 'Nothing pending' }, ANN);
      discrepancy.send('PROPOSE_CORRECTION', { amountMinor: 500, direction: 'credit', reason: 'Cashback never credited' }, SUE);
      return discrepancy;
    });
    expect([v2!.state, v3!.state]).toEqual(['correctionProposed', 'awaitingApproval']);
    expect([definitionFor('balance_discrepancy', 2).approvalStates, definitionFor('balance_discrepancy', 3).approvalStates]).toEqual([
      ['correctionProposed'],
      ['awaitingApproval'],
    ]);
    v2!.send('APPROVE_CORRECTION', {}, SUE);
    expect(catchDomainError(() => v3!.send('APPROVE_CORRECTION', {}, SUE)).code).toBe(DomainErrorCode.SelfApproval);
    v3!.send('APPROVE_CORRECTION', {}, { kind: 'agent', role: 'supervisor', id: 'sup-sam' });
    expect(v3!.effects('postBalanceCorrection')).toEqual(v2!.effects('postBalanceCorrection'));
    expect([v2!.state, v3!.state]).toEqual(['postingCorrection.awaitingWallet', 'postingCorrection.awaitingWallet']);
  });

  it("account_security: v2 unfreezes on an agent's word, v3 waits for a second person", () => {
    const [v2, v3] = [2, 3].map((version) => {
      const security = CaseHarness.open(definitionFor('account_security', version), SAMPLE_FACTS.account_security);
      security.send('ACCOUNT_FROZEN', {}, SENDERS.system);
      security.send('IDENTITY_VERIFIED', { method: 'video_call', note: 'ok' }, ANN);
      security.send('UNFREEZE', { reason: 'false alarm' }, ANN);
      return security;
    });
    expect([v2!.state, v3!.state]).toEqual(['unfreezing.awaitingWallet', 'awaitingApproval']);
    expect(v3!.effects('unfreezeAccount')).toEqual([]);
    v3!.send('APPROVE_PROPOSAL', {}, SUE);
    expect(v3!.effects('unfreezeAccount')).toEqual(v2!.effects('unfreezeAccount'));
    for (const security of [v2!, v3!]) security.send('ACCOUNT_UNFROZEN', {}, SENDERS.system);
    expect([v2!.context.outcome, v3!.context.outcome]).toEqual(['unfrozen', 'unfrozen']);
  });
});
