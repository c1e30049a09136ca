import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { RefundEntity, WalletAccountActionEntity, type WalletAccountActionKind } from '@app/db';
import { DomainError, DomainErrorCode, type MachineEvent } from '@app/domain';
import { WALLET } from '../actor';
import { SendCaseEvent } from '../use-cases/send-case-event';

export type RefundOutcome = { status: 'succeeded'; walletRefundId: string; settledAt: Date | null } | { status: 'failed'; walletRefundId: string | null; failureReason: string };

export type AccountActionOutcome = { kind: WalletAccountActionKind; ledgerEntryRef?: string | null };

/**
 * Work done in the same transaction as the outcome (the callback records its event id here):
 * `claim` runs first and returning false means "seen before", so nothing is applied; `applied` runs
 * once the outcome is applied, still in that transaction.
 */
export interface ClaimHook {
  claim(em: EntityManager): Promise<boolean>;
  applied(em: EntityManager): Promise<void>;
}

/**
 * - `applied`: the row was settled and the case's machine took the event, in one transaction.
 * - `settled_only`: the row was settled, but the machine does not expect the event now (recorded, not an error).
 * - `already_settled`: an earlier answer (response, callback or look-up) settled it; nothing changed.
 * - `duplicate`: the claim hook said this was done before.
 */
export type OutcomeResult = 'applied' | 'settled_only' | 'already_settled' | 'duplicate';

/**
 * Errors that mean "the machine does not take this event now": the outcome is recorded all the
 * same. A payload the event refuses (ValidationFailed) is not one of them: that is an answer we
 * could not read, and settling the row on it would leave the case waiting for ever; it fails loudly.
 */
const NOT_ACCEPTED = new Set<DomainErrorCode>([DomainErrorCode.EventNotAllowed, DomainErrorCode.UnknownEvent, DomainErrorCode.EventNotPermitted]);

const ACCOUNT_EVENTS: Record<WalletAccountActionKind, string> = {
  freeze: 'ACCOUNT_FROZEN',
  unfreeze: 'ACCOUNT_UNFROZEN',
  credential_reset: 'CREDENTIALS_RESET',
  balance_correction: 'CORRECTION_POSTED',
};

/**
 * What the wallet finally answered about one of our writes, wherever the answer came from (the
 * response, a signed callback, the poller's look-up): the row is settled and the machine event is
 * sent through SendCaseEvent in ONE transaction, so whichever answer arrives first applies it and
 * the others find the row settled and change nothing.
 */
@Injectable()
export class RecordWalletOutcome {
  constructor(
    private readonly em: EntityManager,
    private readonly sendCaseEvent: SendCaseEvent,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async refund(refund: Pick<RefundEntity, 'id' | 'caseId'>, outcome: RefundOutcome, claim?: ClaimHook): Promise<OutcomeResult> {
    const event: MachineEvent =
      outcome.status === 'succeeded'
        ? { type: 'REFUND_SUCCEEDED', gatewayRefundId: outcome.walletRefundId }
        : { type: 'REFUND_FAILED', failureReason: outcome.failureReason.slice(0, 2000) };
    const settle = async (em: EntityManager) => {
      const now = this.clock.now();
      const changes =
        outcome.status === 'succeeded'
          ? { status: 'succeeded' as const, gatewayRefundId: outcome.walletRefundId, settledAt: outcome.settledAt ?? now }
          : { status: 'failed' as const, failureReason: outcome.failureReason, settledAt: now, ...(outcome.walletRefundId ? { gatewayRefundId: outcome.walletRefundId } : {}) };
      return (await em.nativeUpdate(RefundEntity, { id: refund.id, status: { $in: ['requested', 'processing'] } }, changes)) === 1;
    };
    return this.apply(refund.caseId, event, settle, claim);
  }

  async accountAction(action: Pick<WalletAccountActionEntity, 'id' | 'caseId'>, outcome: AccountActionOutcome, claim?: ClaimHook): Promise<OutcomeResult> {
    const event: MachineEvent =
      outcome.kind === 'balance_correction' ? { type: ACCOUNT_EVENTS[outcome.kind], ledgerEntryRef: outcome.ledgerEntryRef ?? '' } : { type: ACCOUNT_EVENTS[outcome.kind] };
    const settle = async (em: EntityManager) =>
      (await em.nativeUpdate(
        WalletAccountActionEntity,
        { id: action.id, status: { $in: ['requested', 'processing'] } },
        { status: 'completed', completedAt: this.clock.now(), ...(outcome.ledgerEntryRef ? { ledgerEntryRef: outcome.ledgerEntryRef } : {}) },
      )) === 1;
    return this.apply(action.caseId, event, settle, claim);
  }

  private async apply(caseId: string, event: MachineEvent, settle: (em: EntityManager) => Promise<boolean>, claim?: ClaimHook): Promise<OutcomeResult> {
    let result: OutcomeResult = 'applied';
    try {
      const applied = await this.sendCaseEvent.transaction({ caseId }, async ({ em, sql }) => {
        const locked = await this.sendCaseEvent.lock(sql, caseId, WALLET);
        if (claim && !(await claim.claim(em))) {
          result = 'duplicate';
          return null;
        }
        if (!(await settle(em))) {
          result = 'already_settled';
          return null;
        }
        await claim?.applied(em);
        return this.sendCaseEvent.apply(sql, locked, { caseId, event }, WALLET);
      });
      if (applied) await this.sendCaseEvent.publish(applied);
      return result;
    } catch (error) {
      if (!(error instanceof DomainError) || !NOT_ACCEPTED.has(error.code)) throw error;
      // The machine refused it (the case moved on, or this machine version has no such event): the
      // wallet's answer is still the truth about the money or the account, so the row is settled.
      return this.em.fork().transactional(async (em) => {
        if (claim && !(await claim.claim(em))) return 'duplicate';
        return (await settle(em)) ? 'settled_only' : 'already_settled';
      });
    }
  }
}
