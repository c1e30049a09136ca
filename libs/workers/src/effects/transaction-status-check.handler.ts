import { Injectable } from '@nestjs/common';
import { SendCaseEvent } from '@app/cases';
import type { OutboxRow } from '@app/db';
import type { CheckTransactionStatusEffect, WalletTransactionStatus } from '@app/domain';
import { WalletCallError, WalletPort } from '@app/wallet';
import type { EffectHandler } from './effect-handler';
import { WALLET_LOOKUP, caseStillAsks } from './wallet-check-answer';

/**
 * Looks the case's transaction up in the wallet and tells the case its status
 * (WALLET_TRANSACTION_STATUS), so "no money was taken" rests on the wallet's record, not on
 * anyone's word. A transaction the wallet does not know is `unknown`; a wallet that does not
 * answer throws, so BullMQ retries the look-up.
 */
@Injectable()
export class TransactionStatusCheckHandler implements EffectHandler {
  readonly types = ['checkTransactionStatus'] as const;

  constructor(
    private readonly wallet: WalletPort,
    private readonly sendCaseEvent: SendCaseEvent,
  ) {}

  async handle(row: OutboxRow): Promise<void> {
    const params = row.payload as unknown as CheckTransactionStatusEffect['params'];
    const caseId = row.caseId!;
    const status = await this.statusOf(params.transactionRef);
    const command = { caseId, event: { type: 'WALLET_TRANSACTION_STATUS', status } };
    const applied = await this.sendCaseEvent.transaction(command, async ({ em, sql }) => {
      const locked = await this.sendCaseEvent.lock(sql, caseId, WALLET_LOOKUP);
      // An answer to a question the case no longer asks changes nothing.
      if (!(await caseStillAsks(em, caseId, 'verifyingNoFundsTaken'))) return null;
      return this.sendCaseEvent.apply(sql, locked, command, WALLET_LOOKUP);
    });
    if (applied) await this.sendCaseEvent.publish(applied);
  }

  private async statusOf(ref: string): Promise<WalletTransactionStatus> {
    try {
      return (await this.wallet.getTransaction(ref))?.status ?? 'unknown';
    } catch (error) {
      if (error instanceof WalletCallError && error.kind === 'rejected' && error.code === 'TRANSACTION_NOT_FOUND') return 'unknown';
      throw error;
    }
  }
}
