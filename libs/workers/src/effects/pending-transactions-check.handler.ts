import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { SendCaseEvent } from '@app/cases';
import { CaseEntity, type OutboxRow } from '@app/db';
import type { CheckPendingTransactionsEffect } from '@app/domain';
import { WalletPort, normaliseTransactionRef } from '@app/wallet';
import type { EffectHandler } from './effect-handler';
import { WALLET_LOOKUP, caseStillAsks } from './wallet-check-answer';

/**
 * Asks the wallet whether the pending transactions that explain a balance discrepancy have
 * settled, and tells the case: PENDING_SETTLED when every one of them is, else PENDING_STILL_OPEN
 * with those that are not (still pending, failed, or unknown to the wallet). The account is the
 * case's customer. A wallet that does not answer throws, so BullMQ retries the look-up.
 */
@Injectable()
export class PendingTransactionsCheckHandler implements EffectHandler {
  readonly types = ['checkPendingTransactions'] as const;

  constructor(
    private readonly em: EntityManager,
    private readonly wallet: WalletPort,
    private readonly sendCaseEvent: SendCaseEvent,
  ) {}

  async handle(row: OutboxRow): Promise<void> {
    const params = row.payload as unknown as CheckPendingTransactionsEffect['params'];
    const caseId = row.caseId!;
    const theCase = await this.em.fork().findOneOrFail(CaseEntity, { id: caseId }, { fields: ['customerId'] });
    const listed = await this.wallet.listPendingTransactions(theCase.customerId);
    const statusOf = new Map(listed.map((item) => [normaliseTransactionRef(item.ref), item.status]));
    const refs = params.refs.map(normaliseTransactionRef);
    const open = refs.filter((ref) => statusOf.get(ref) !== 'settled');
    const command = { caseId, event: open.length === 0 ? { type: 'PENDING_SETTLED', settledRefs: refs } : { type: 'PENDING_STILL_OPEN', openRefs: open } };
    const applied = await this.sendCaseEvent.transaction(command, async ({ em, sql }) => {
      const locked = await this.sendCaseEvent.lock(sql, caseId, WALLET_LOOKUP);
      // An answer to a check the case no longer waits for (or to an earlier attempt) changes nothing.
      if (!(await caseStillAsks(em, caseId, 'confirmingSettlement.checking', { contextKey: 'settlementChecks', value: params.attempt }))) return null;
      return this.sendCaseEvent.apply(sql, locked, command, WALLET_LOOKUP);
    });
    if (applied) await this.sendCaseEvent.publish(applied);
  }
}
