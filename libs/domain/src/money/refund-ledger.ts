import type { AnyMachineSnapshot } from 'xstate';
import { DomainError, DomainErrorCode } from '../errors';
import type { CaseMachineDefinition } from '../machines/definition';
import type { CaseEffect, RequestRefundEffect } from '../machines/effects';
import type { SoleDecider } from '../approvals/proposal';

/**
 * Money adds up per wallet transaction, not per case: every case of one transaction draws on one
 * refund ledger (captured, committed by decisions not yet settled, refunded). A transition moves a
 * case's share of it in one of three ways, read from what the transition does, never from a kind's
 * state names, so every machine and version is covered by the same rule:
 * - `commit`: it asks the wallet for a refund (a `requestRefund` effect: a decision, or a retry of
 *   one, which is already committed and so commits nothing more);
 * - `settle`: the wallet confirmed it (REFUND_SUCCEEDED): committed becomes refunded;
 * - `release`: the wallet refused the refund (REFUND_FAILED), or the case stops waiting for one: its
 *   money is free again for the transaction's other cases. A retry asks the wallet again, so it
 *   commits again, checked against the ledger as it is then (the money may have gone elsewhere).
 */
export type RefundLedgerMovement =
  | {
      kind: 'commit';
      amountMinor: number;
      currency: string;
      /** Set by applyEvent when one agent decides the refund alone (approvals/proposal.ts): held to their limit per transaction. */
      decidedAlone?: SoleDecider;
    }
  | { kind: 'settle' }
  | { kind: 'release' };

/** The event the wallet's confirmation arrives as, shared by every kind that pays money back. */
export const REFUND_SUCCEEDED_EVENT = 'REFUND_SUCCEEDED';
const RETRY_REFUND_EVENT = 'RETRY_REFUND';
const REFUND_FAILED_EVENT = 'REFUND_FAILED';

/** Whether the case waits for the outcome of a refund (in flight, or failed and retryable). */
export function awaitsRefundOutcome(definition: CaseMachineDefinition, snapshot: AnyMachineSnapshot): boolean {
  if (!(REFUND_SUCCEEDED_EVENT in definition.events)) return false;
  return snapshot.can({ type: REFUND_SUCCEEDED_EVENT }) || snapshot.can({ type: RETRY_REFUND_EVENT });
}

export function refundLedgerMovementOf(
  definition: CaseMachineDefinition,
  before: AnyMachineSnapshot | undefined,
  next: AnyMachineSnapshot,
  eventType: string,
  effects: readonly CaseEffect[],
): RefundLedgerMovement | null {
  const refund = effects.find((effect): effect is RequestRefundEffect => effect.type === 'requestRefund');
  if (refund) return { kind: 'commit', amountMinor: refund.params.amountMinor, currency: refund.params.currency };
  if (eventType === REFUND_SUCCEEDED_EVENT) return { kind: 'settle' };
  if (eventType === REFUND_FAILED_EVENT) return { kind: 'release' };
  if (before && awaitsRefundOutcome(definition, before) && !awaitsRefundOutcome(definition, next)) return { kind: 'release' };
  return null;
}

/** One transaction's ledger, as locked by the command. */
export interface RefundLedgerBalance {
  transactionRef: string;
  currency: string;
  capturedMinor: number;
  committedMinor: number;
  refundedMinor: number;
}

/** The case's own share of the ledger: what its open decision committed, and what it was paid. */
export interface CaseRefundShare {
  committedMinor: number;
  refundedMinor: number;
}

export interface LedgerUpdate {
  ledger: Pick<RefundLedgerBalance, 'committedMinor' | 'refundedMinor'>;
  share: CaseRefundShare;
}

/**
 * The ledger and the case's share after a movement, or REFUND_EXCEEDS_TRANSACTION when a commit
 * would take committed + refunded past what was captured. A commit replaces the case's open
 * commitment (a retry of the same decision adds nothing; a retry after a release commits again).
 */
export function moveRefundLedger(ledger: RefundLedgerBalance, share: CaseRefundShare, movement: RefundLedgerMovement): LedgerUpdate {
  switch (movement.kind) {
    case 'commit': {
      if (movement.currency !== ledger.currency) {
        throw new DomainError(DomainErrorCode.CurrencyMismatch, `Transaction ${ledger.transactionRef} is in ${ledger.currency}, not ${movement.currency}.`, {
          transactionRef: ledger.transactionRef,
        });
      }
      const added = movement.amountMinor - share.committedMinor;
      const committedMinor = ledger.committedMinor + added;
      const available = ledger.capturedMinor - ledger.committedMinor - ledger.refundedMinor + share.committedMinor;
      if (added > 0 && committedMinor + ledger.refundedMinor > ledger.capturedMinor) {
        throw new DomainError(
          DomainErrorCode.RefundExceedsTransaction,
          `Refunding ${movement.amountMinor} would take transaction ${ledger.transactionRef} past the ${ledger.capturedMinor} ${ledger.currency} minor units captured: ` +
            `${ledger.refundedMinor} are refunded and ${ledger.committedMinor} committed by its cases.`,
          {
            transactionRef: ledger.transactionRef,
            currency: ledger.currency,
            capturedMinor: ledger.capturedMinor,
            committedMinor: ledger.committedMinor,
            refundedMinor: ledger.refundedMinor,
            availableMinor: Math.max(0, available),
          },
        );
      }
      return {
        ledger: { committedMinor, refundedMinor: ledger.refundedMinor },
        share: { committedMinor: movement.amountMinor, refundedMinor: share.refundedMinor },
      };
    }
    case 'settle':
      return {
        ledger: { committedMinor: ledger.committedMinor - share.committedMinor, refundedMinor: ledger.refundedMinor + share.committedMinor },
        share: { committedMinor: 0, refundedMinor: share.refundedMinor + share.committedMinor },
      };
    case 'release':
      return {
        ledger: { committedMinor: ledger.committedMinor - share.committedMinor, refundedMinor: ledger.refundedMinor },
        share: { committedMinor: 0, refundedMinor: share.refundedMinor },
      };
  }
}
