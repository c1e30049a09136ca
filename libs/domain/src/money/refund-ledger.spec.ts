import { createMachine, initialTransition, transition } from 'xstate';
import { DomainError, DomainErrorCode } from '../errors';
import type { CaseMachineDefinition } from '../machines/definition';
import { disputeDefinitionV1 } from '../machines/dispute/dispute.definition';
import { paymentFailureDefinitionV1 } from '../machines/payment-failure/payment-failure.definition';
import { CaseHarness, SENDERS } from '../testing/case-harness';
import { SAMPLE_FACTS } from '../testing/sample-facts';
import { moveRefundLedger, refundLedgerMovementOf, type RefundLedgerBalance } from './refund-ledger';

const ledger = (committedMinor: number, refundedMinor: number): RefundLedgerBalance => ({
  transactionRef: 'TX-1',
  currency: 'CNY',
  capturedMinor: 10_000,
  committedMinor,
  refundedMinor,
});

describe('refund ledger: how a transition moves a case’s share of its transaction', () => {
  it('a decision commits its amount; a refusal by the wallet releases it and a retry commits it again; the confirmation settles it', () => {
    const dispute = CaseHarness.open(disputeDefinitionV1, SAMPLE_FACTS.dispute);
    expect(dispute.last.refundLedger).toBeNull();
    dispute.send('FORWARD_TO_MERCHANT', {}, SENDERS.agent);
    expect(dispute.last.refundLedger).toBeNull();
    dispute.send('MERCHANT_ACCEPT', {}, SENDERS.merchant);
    expect(dispute.last.refundLedger).toEqual({ kind: 'commit', amountMinor: 10_000, currency: 'CNY' });

    dispute.send('REFUND_FAILED', { failureReason: 'issuer_declined' }, SENDERS.system);
    // The wallet refused: the money is free for the transaction's other cases while nobody retries.
    expect(dispute.last.refundLedger).toEqual({ kind: 'release' });
    expect(moveRefundLedger(ledger(10_000, 0), { committedMinor: 10_000, refundedMinor: 0 }, { kind: 'release' })).toEqual({
      ledger: { committedMinor: 0, refundedMinor: 0 },
      share: { committedMinor: 0, refundedMinor: 0 },
    });
    dispute.send('RETRY_REFUND', {}, SENDERS.agent);
    const retry = dispute.last.refundLedger!;
    expect(retry).toEqual({ kind: 'commit', amountMinor: 10_000, currency: 'CNY' });
    // Committing the amount a case already holds is no new money (a duplicate commit without a release between).
    expect(moveRefundLedger(ledger(10_000, 0), { committedMinor: 10_000, refundedMinor: 0 }, retry).ledger).toEqual({ committedMinor: 10_000, refundedMinor: 0 });

    dispute.send('REFUND_SUCCEEDED', { gatewayRefundId: 'rf_1' }, SENDERS.system);
    expect(dispute.last.refundLedger).toEqual({ kind: 'settle' });
  });

  it('an appeal’s second decision is a new commitment', () => {
    const dispute = CaseHarness.open(disputeDefinitionV1, SAMPLE_FACTS.dispute);
    dispute.send('FORWARD_TO_MERCHANT', {}, SENDERS.agent);
    dispute.send('MERCHANT_CONTEST', { summary: 'Delivered' }, SENDERS.merchant);
    dispute.send('DECIDE_PARTIAL_REFUND', { amountMinor: 4_000, reason: 'half' }, SENDERS.agent);
    expect(dispute.last.refundLedger).toEqual({ kind: 'commit', amountMinor: 4_000, currency: 'CNY' });
    dispute.send('REFUND_SUCCEEDED', { gatewayRefundId: 'rf_1' }, SENDERS.system);
    dispute.send('APPEAL', { reason: 'not enough' }, SENDERS.customer);
    dispute.send('DECIDE_FULL_REFUND', { reason: 'upheld' }, SENDERS.agent);
    expect(dispute.last.refundLedger).toEqual({ kind: 'commit', amountMinor: 6_000, currency: 'CNY' });
  });

  it('a payment-failure reversal commits the debited amount', () => {
    const failure = CaseHarness.open(paymentFailureDefinitionV1, SAMPLE_FACTS.payment_failure);
    failure.send('START_INVESTIGATION', {}, SENDERS.agent);
    failure.send('REVERSE_PAYMENT', { reason: 'debited twice' }, SENDERS.agent);
    expect(failure.last.refundLedger).toMatchObject({ kind: 'commit', currency: 'CNY' });
  });

  it('a refusal releases; a case that then stops waiting releases nothing twice', () => {
    const machine = createMachine({
      initial: 'pending',
      states: {
        pending: { on: { REFUND_SUCCEEDED: 'done', REFUND_FAILED: 'failed' } },
        failed: { on: { RETRY_REFUND: 'pending', GIVE_UP: 'abandoned' } },
        abandoned: {},
        done: {},
      },
    });
    const definition = { events: { REFUND_SUCCEEDED: {}, RETRY_REFUND: {} } } as unknown as CaseMachineDefinition;
    const [pending] = initialTransition(machine);
    const [failed] = transition(machine, pending, { type: 'REFUND_FAILED' });
    const [abandoned] = transition(machine, failed, { type: 'GIVE_UP' });
    expect(refundLedgerMovementOf(definition, pending, failed, 'REFUND_FAILED', [])).toEqual({ kind: 'release' });
    expect(refundLedgerMovementOf(definition, failed, abandoned, 'GIVE_UP', [])).toEqual({ kind: 'release' });
    // The second release finds the share's commitment at 0 already: nothing is freed twice.
    expect(moveRefundLedger(ledger(4_000, 0), { committedMinor: 0, refundedMinor: 0 }, { kind: 'release' }).ledger).toEqual({ committedMinor: 4_000, refundedMinor: 0 });
  });
});

describe('refund ledger: committed + refunded never exceed what was captured', () => {
  it('commits up to exactly the captured amount, then refuses with REFUND_EXCEEDS_TRANSACTION', () => {
    const first = moveRefundLedger(ledger(0, 0), { committedMinor: 0, refundedMinor: 0 }, { kind: 'commit', amountMinor: 6_000, currency: 'CNY' });
    expect(first.ledger).toEqual({ committedMinor: 6_000, refundedMinor: 0 });
    const second = moveRefundLedger(ledger(6_000, 0), { committedMinor: 0, refundedMinor: 0 }, { kind: 'commit', amountMinor: 4_000, currency: 'CNY' });
    expect(second.ledger).toEqual({ committedMinor: 10_000, refundedMinor: 0 });

    let refusal: unknown;
    try {
      moveRefundLedger(ledger(6_000, 3_000), { committedMinor: 0, refundedMinor: 0 }, { kind: 'commit', amountMinor: 1_001, currency: 'CNY' });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ code: DomainErrorCode.RefundExceedsTransaction, details: { availableMinor: 1_000, capturedMinor: 10_000 } });
  });

  it('settling moves the case’s commitment to refunded; releasing frees it', () => {
    const share = { committedMinor: 4_000, refundedMinor: 1_000 };
    expect(moveRefundLedger(ledger(7_000, 1_000), share, { kind: 'settle' })).toEqual({
      ledger: { committedMinor: 3_000, refundedMinor: 5_000 },
      share: { committedMinor: 0, refundedMinor: 5_000 },
    });
    expect(moveRefundLedger(ledger(7_000, 1_000), share, { kind: 'release' })).toEqual({
      ledger: { committedMinor: 3_000, refundedMinor: 1_000 },
      share: { committedMinor: 0, refundedMinor: 1_000 },
    });
  });

  it('refuses a refund in another currency than the transaction’s', () => {
    expect(() => moveRefundLedger(ledger(0, 0), { committedMinor: 0, refundedMinor: 0 }, { kind: 'commit', amountMinor: 1, currency: 'USD' })).toThrow(
      expect.objectContaining({ code: DomainErrorCode.CurrencyMismatch }),
    );
  });
});
