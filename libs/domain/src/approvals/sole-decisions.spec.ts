import type { EventSender } from '../engine/case-transition';
import { DomainErrorCode } from '../errors';
import { refundRequestDefinitionV1 } from '../machines/refund-request/refund-request.definition';
import { currentDefinition } from '../machines/registry';
import { CaseHarness } from '../testing/case-harness';
import { SAMPLE_FACTS } from '../testing/sample-facts';
import { refundLimitOf } from './approval-rules';
import { limitLeftOnTransaction, soleDeciderOf, soleDecisionRefusal, type SoleDecider } from './proposal';

const ANN: EventSender = { kind: 'agent', role: 'agent', id: 'agent-ann' };
const SUE: EventSender = { kind: 'agent', role: 'supervisor', id: 'sup-sue' };
const ADA: EventSender = { kind: 'agent', role: 'admin', id: 'admin-ada' };
const MERCHANT: EventSender = { kind: 'merchant', id: 'm_1' };
const WALLET: EventSender = { kind: 'system', id: 'wallet' };

const annAlone: SoleDecider = { agentId: 'agent-ann', limitMinor: 50_000, proposeWith: 'PROPOSE_PARTIAL_REFUND' };
const decision = (amountMinor: number) => ({ amountMinor, currency: 'CNY', transactionRef: 'TX-1' });

describe('what one agent decides alone adds up per wallet transaction', () => {
  it('what is left of an agent’s limit on a transaction: their limit less what they decided alone on it, never below 0', () => {
    const customLimits = { agent: { CNY: 1_000, USD: 200 }, supervisor: 'unlimited', admin: 'unlimited' } as const;
    const ann = { ...ANN, refundLimits: customLimits };
    expect([limitLeftOnTransaction(ann, 'CNY', 300), limitLeftOnTransaction(ann, 'USD', 50)]).toEqual([700, 150]); // in the transaction's currency
    expect(limitLeftOnTransaction(ann, 'CNY', 5_000)).toBe(0);
    expect(limitLeftOnTransaction(ANN, 'CNY', 30_000)).toBe(20_000); // the default limits
    // A supervisor's limit is finite too: it is reduced the same way.
    expect(limitLeftOnTransaction(SUE, 'CNY', 1)).toBe(4_999_999);
    // Nothing decided alone: the whole limit.
    expect(limitLeftOnTransaction(ann, 'CNY', 0)).toBe(1_000);
    // No finite limit, or no agent (whose decisions count against nobody): the limit as it is.
    for (const sender of [ADA, MERCHANT, WALLET, { ...SUE, refundLimits: customLimits }]) {
      expect(limitLeftOnTransaction(sender, 'CNY', 10_000)).toBe(refundLimitOf(sender, 'CNY'));
    }
    expect(refundLimitOf(MERCHANT, 'CNY')).toBe(Number.POSITIVE_INFINITY);
  });

  it('refuses a decision that, with what the agent already decided alone on the transaction, is above their limit', () => {
    expect(soleDecisionRefusal(annAlone, decision(20_000), 30_000)).toBeUndefined();
    const refusal = soleDecisionRefusal(annAlone, decision(20_001), 30_000)!;
    expect([refusal.code, refusal.details]).toEqual([
      DomainErrorCode.ApprovalRequired,
      { limitMinor: 50_000, currency: 'CNY', proposeWith: 'PROPOSE_PARTIAL_REFUND', transactionRef: 'TX-1', decidedAloneMinor: 30_000 },
    ]);
    expect(refusal.message).toContain('already decided 30000 CNY minor units alone on transaction TX-1');
  });

  it('refuses a decision alone by an agent the engine cannot name, rather than let it count for nobody', () => {
    expect(soleDecisionRefusal({ ...annAlone, agentId: null }, decision(1), 0)?.code).toBe(DomainErrorCode.ApprovalRequired);
    expect(soleDeciderOf('PROPOSE_FULL_REFUND', { ...ANN, id: '' }, 'CNY')).toMatchObject({ agentId: null });
  });

  it('an agent deciding by an event that names its proposal decides alone, within their role’s limit in the currency', () => {
    expect(soleDeciderOf('PROPOSE_FULL_REFUND', ANN, 'CNY')).toEqual({ agentId: 'agent-ann', limitMinor: 50_000, proposeWith: 'PROPOSE_FULL_REFUND' });
    expect(soleDeciderOf('PROPOSE_FULL_REFUND', SUE, 'USD')).toEqual({ agentId: 'sup-sue', limitMinor: 700_000, proposeWith: 'PROPOSE_FULL_REFUND' });
    expect(soleDeciderOf('PROPOSE_FULL_REFUND', { ...ANN, refundLimits: { agent: { CNY: 1_000 }, supervisor: 'unlimited', admin: 'unlimited' } }, 'CNY')).toMatchObject({
      limitMinor: 1_000,
    });
    expect(soleDeciderOf('PROPOSE_FULL_REFUND', { kind: 'agent', role: 'agent' }, 'CNY')).toMatchObject({ agentId: null });
  });

  it('nobody decides alone without a limit to hold (admins, merchants, the system) or by an event without a proposal', () => {
    expect(soleDeciderOf('PROPOSE_FULL_REFUND', ADA, 'CNY')).toBeUndefined();
    expect(soleDeciderOf('PROPOSE_FULL_REFUND', MERCHANT, 'CNY')).toBeUndefined();
    expect(soleDeciderOf('PROPOSE_FULL_REFUND', WALLET, 'CNY')).toBeUndefined();
    expect(soleDeciderOf(undefined, ANN, 'CNY')).toBeUndefined();
  });
});

describe('the commitment a transition makes names the agent who decided it alone', () => {
  const refundRequestInReview = (definition = currentDefinition('refund_request')) => {
    const request = CaseHarness.open(definition, { ...SAMPLE_FACTS.refund_request, amount: { amountMinor: 80_000, currency: 'CNY' } });
    request.send('START_REVIEW', {}, ANN);
    return request;
  };

  it('an agent’s approval within their limit is theirs alone', () => {
    const request = refundRequestInReview();
    request.send('APPROVE_PARTIAL_REFUND', { amountMinor: 30_000, reason: 'Box missing' }, ANN);
    expect(request.last.refundLedger).toEqual({
      kind: 'commit',
      amountMinor: 30_000,
      currency: 'CNY',
      decidedAlone: { agentId: 'agent-ann', limitMinor: 50_000, proposeWith: 'PROPOSE_PARTIAL_REFUND' },
    });
  });

  it('an approved proposal is two people’s and a merchant’s acceptance the merchant’s: no agent’s alone', () => {
    const proposed = refundRequestInReview();
    proposed.send('PROPOSE_FULL_REFUND', { reason: 'Returned unopened' }, ANN);
    proposed.send('APPROVE_PROPOSAL', {}, SUE);
    expect(proposed.last.refundLedger).toEqual({ kind: 'commit', amountMinor: 80_000, currency: 'CNY' });

    const accepted = CaseHarness.open(currentDefinition('refund_request'), SAMPLE_FACTS.refund_request);
    accepted.send('APPROVE_FULL_REFUND', { reason: 'Returned' }, MERCHANT);
    expect(accepted.last.refundLedger).toEqual({ kind: 'commit', amountMinor: 10_000, currency: 'CNY' });
  });

  it('a retry, by an agent or the clock, is no new decision', () => {
    const request = refundRequestInReview();
    request.send('APPROVE_PARTIAL_REFUND', { amountMinor: 30_000, reason: 'Box missing' }, ANN);
    request.send('REFUND_FAILED', { failureReason: 'gateway_timeout' }, WALLET);
    expect(request.last.refundLedger).toEqual({ kind: 'release' });
    request.send('RETRY_REFUND', {}, SUE);
    expect(request.last.refundLedger).toEqual({ kind: 'commit', amountMinor: 30_000, currency: 'CNY' });
    request.send('REFUND_FAILED', { failureReason: 'gateway_timeout' }, WALLET);
    expect(request.fire('refundRetryBackoff')?.refundLedger).toEqual({ kind: 'commit', amountMinor: 30_000, currency: 'CNY' });
  });

  it('a version without four eyes has no decisions alone to add up', () => {
    const request = refundRequestInReview(refundRequestDefinitionV1);
    request.send('APPROVE_PARTIAL_REFUND', { amountMinor: 30_000, reason: 'Box missing' }, ANN);
    expect(request.last.refundLedger).toEqual({ kind: 'commit', amountMinor: 30_000, currency: 'CNY' });
  });
});
