import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { REFUND_GATEWAY, SendCaseEvent } from '@app/cases';
import { CaseEntity, RefundEntity, type OutboxEntity } from '@app/db';
import type { RequestRefundEffect } from '@app/domain';
import { WalletGateway } from '../gateways/wallet-gateway';
import type { EffectHandler } from './effect-handler';

/**
 * Sends a decided refund to the gateway and reports the result to the case.
 * Exactly once, however often the job runs: the refund row is unique per outbox row; the gateway
 * call carries the logical refund's key (shared by its retries, so an ambiguous failure that did
 * pay is not paid again); and the row is settled in the same transaction
 * that applies REFUND_SUCCEEDED / REFUND_FAILED, so a replayed job finds it settled and stops.
 */
@Injectable()
export class RefundHandler implements EffectHandler {
  readonly types = ['requestRefund'] as const;

  constructor(
    private readonly em: EntityManager,
    private readonly gateway: WalletGateway,
    private readonly sendCaseEvent: SendCaseEvent,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async handle(row: OutboxEntity): Promise<void> {
    const params = row.payload as unknown as RequestRefundEffect['params'];
    const caseId = row.caseId!;
    const em = this.em.fork();
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
        createdAt: this.clock.now(),
      })
      .onConflict('outbox_id')
      .ignore()
      .execute();
    const refund = await em.findOneOrFail(RefundEntity, { outboxId: row.id });
    if (refund.status !== 'requested') return;

    const theCase = await em.findOneOrFail(CaseEntity, { id: caseId }, { fields: ['transactionRef'] });
    // One logical refund per decision: attempts of it share the key, because refunds of a case are
    // sequential (one in flight at a time), so the count of earlier successes numbers them.
    const earlierSuccesses = await em.count(RefundEntity, { caseId, status: 'succeeded' });
    const result = await this.gateway.refund({
      idempotencyKey: `${caseId}-refund-${earlierSuccesses + 1}`,
      attemptId: row.id,
      caseId,
      transactionRef: theCase.transactionRef,
      amountMinor: refund.amountMinor,
      currency: refund.currency,
    });

    const now = this.clock.now();
    await this.sendCaseEvent.execute(
      {
        caseId,
        event: result.ok
          ? { type: 'REFUND_SUCCEEDED', gatewayRefundId: result.gatewayRefundId }
          : { type: 'REFUND_FAILED', failureReason: result.failureReason },
      },
      REFUND_GATEWAY,
      {
        inSameTransaction: async (tx) => {
          const settled = await tx.nativeUpdate(
            RefundEntity,
            { id: refund.id, status: 'requested' },
            result.ok
              ? { status: 'succeeded', gatewayRefundId: result.gatewayRefundId, settledAt: now }
              : { status: 'failed', failureReason: result.failureReason, settledAt: now },
          );
          return settled === 1;
        },
      },
    );
  }
}
