import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { PostCommitDispatcher, RecordWalletOutcome } from '@app/cases';
import { CaseEntity, OutboxEntity, RefundEntity, type OutboxRow } from '@app/db';
import { REFUND_SENT_TOPIC } from '@app/notifications';
import type { RequestRefundEffect } from '@app/domain';
import { WalletCallError, WalletPort, type WalletRefund } from '@app/wallet';
import type { EffectHandler } from './effect-handler';

/** Our key for a refund at the wallet: from the case and the outbox row, so every try of it shares it. */
export function refundIdempotencyKey(caseId: string, outboxId: string): string {
  return `${caseId}-${outboxId}`;
}

/**
 * Sends a decided refund to the wallet and reports the answer to the case.
 * Exactly once, however often the job runs: the refund row is unique per outbox row and carries
 * one idempotency key for all tries of it; once a request may have left, a later try looks the
 * refund up by that key before asking again (a timeout that did pay is not paid again). A
 * `processing` answer waits for the wallet's callback (or the poller); a final answer settles the
 * row in the same transaction that applies REFUND_SUCCEEDED / REFUND_FAILED.
 */
@Injectable()
export class RefundHandler implements EffectHandler {
  readonly types = ['requestRefund'] as const;

  constructor(
    private readonly em: EntityManager,
    private readonly wallet: WalletPort,
    private readonly outcomes: RecordWalletOutcome,
    private readonly dispatcher: PostCommitDispatcher,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async handle(row: OutboxRow): Promise<void> {
    const params = row.payload as unknown as RequestRefundEffect['params'];
    const caseId = row.caseId!;
    const em = this.em.fork();
    const idempotencyKey = refundIdempotencyKey(caseId, row.id);
    await em
      .createQueryBuilder(RefundEntity)
      .insert({
        id: randomUUID(),
        caseId,
        outboxId: row.id,
        attempt: params.attempt,
        amountMinor: params.amountMinor,
        currency: params.currency,
        status: 'requested',
        idempotencyKey,
        createdAt: this.clock.now(),
      })
      .onConflict('outbox_id')
      .ignore()
      .execute();
    const refund = await em.findOneOrFail(RefundEntity, { outboxId: row.id });
    // processing: the callback or the poller settles it; succeeded/failed: reported already.
    if (refund.status !== 'requested') return;
    const key = refund.idempotencyKey ?? idempotencyKey;

    const theCase = await em.findOneOrFail(CaseEntity, { id: caseId }, { fields: ['transactionRef', 'kind', 'livemode'] });
    if (!theCase.livemode) {
      // A test-mode case's transaction is simulated and never reaches the wallet: its refund settles
      // at once through the same outcome path as a wallet's answer, so no real money ever moves.
      await this.outcomes.refund(refund, { status: 'succeeded', walletRefundId: `test_re_${refund.id.replace(/-/g, '')}`, settledAt: null });
      return;
    }
    if (!theCase.transactionRef) {
      await this.outcomes.refund(refund, { status: 'failed', walletRefundId: null, failureReason: 'NO_TRANSACTION_REFERENCE: the case names no wallet transaction' });
      return;
    }

    // A try before this one may have reached the wallet (it timed out, or the process died): ask
    // the wallet what became of our key before requesting, never pay blindly a second time.
    let answer: WalletRefund | null = refund.firstSentAt ? await this.wallet.findRefund(key) : null;
    if (!answer) {
      await em.nativeUpdate(RefundEntity, { id: refund.id, firstSentAt: null }, { firstSentAt: this.clock.now(), idempotencyKey: key });
      try {
        answer = await this.wallet.requestRefund({
          idempotencyKey: key,
          transactionRef: theCase.transactionRef,
          amountMinor: refund.amountMinor,
          currency: refund.currency,
          reason: `${theCase.kind} ${caseId}`,
        });
      } catch (error) {
        // Refused for good (over the captured amount, unknown transaction…): the machine decides
        // what a failed refund means. Anything else (ambiguous, unavailable) is retried by BullMQ.
        if (!(error instanceof WalletCallError) || error.kind !== 'rejected') throw error;
        await this.outcomes.refund(refund, { status: 'failed', walletRefundId: null, failureReason: error.message });
        return;
      }
    }
    await this.apply(refund, answer);
  }

  private async apply(refund: RefundEntity, answer: WalletRefund): Promise<void> {
    if (answer.status === 'processing') {
      const now = this.clock.now();
      // The refund is on its way: the customer is told (with the expected arrival) once, in the
      // same transaction that records it, whoever records it first.
      const told = await this.em.fork().transactional(async (em) => {
        const moved = await em.nativeUpdate(
          RefundEntity,
          { id: refund.id, status: 'requested' },
          { status: 'processing', gatewayRefundId: answer.refundId, expectedArrivalAt: answer.expectedArrivalAt, processingAt: now, lastCheckedAt: now },
        );
        if (moved !== 1) return null;
        const theCase = await em.findOneOrFail(CaseEntity, { id: refund.caseId }, { fields: ['kind', 'state'] });
        return em.create(OutboxEntity, {
          id: randomUUID(),
          caseId: refund.caseId,
          type: 'notify',
          payload: {
            topic: REFUND_SENT_TOPIC,
            audience: ['customer'],
            amountMinor: refund.amountMinor,
            currency: refund.currency,
            expectedArrivalAt: answer.expectedArrivalAt?.toISOString() ?? null,
            caseKind: theCase.kind,
            caseState: theCase.state,
          },
          createdAt: now,
        });
      });
      if (told) await this.dispatcher.dispatch({ outbox: [told] });
      return;
    }
    await this.outcomes.refund(
      refund,
      answer.status === 'succeeded'
        ? { status: 'succeeded', walletRefundId: answer.refundId, settledAt: answer.settledAt }
        : { status: 'failed', walletRefundId: answer.refundId, failureReason: answer.failureReason ?? 'failed' },
    );
  }
}
