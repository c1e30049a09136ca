import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '@app/config';
import { RecordWalletOutcome } from '@app/cases';
import { CaseEntity, WalletAccountActionEntity, type OutboxRow, type WalletAccountActionKind } from '@app/db';
import type { AccountEffect, BalanceCorrectionEffect } from '@app/domain';
import { WalletCallError, WalletPort, type WalletAccountAction } from '@app/wallet';
import type { EffectHandler } from './effect-handler';

const KIND_OF: Record<(typeof AccountActionHandler.prototype.types)[number], WalletAccountActionKind> = {
  freezeAccount: 'freeze',
  unfreezeAccount: 'unfreeze',
  resetCredentials: 'credential_reset',
  postBalanceCorrection: 'balance_correction',
};

/**
 * Freezes, unfreezes, resets credentials and posts balance corrections through the wallet. One row
 * per outbox row keeps our key (shared by every try: the wallet answers the same action for the
 * same key) and the wallet's action id; the wallet confirms asynchronously with a callback that
 * finds the case through that row and becomes ACCOUNT_FROZEN, ACCOUNT_UNFROZEN, CREDENTIALS_RESET
 * or CORRECTION_POSTED.
 */
@Injectable()
export class AccountActionHandler implements EffectHandler {
  readonly types = ['freezeAccount', 'unfreezeAccount', 'resetCredentials', 'postBalanceCorrection'] as const;
  private readonly logger = new Logger('AccountActions');

  constructor(
    private readonly em: EntityManager,
    private readonly wallet: WalletPort,
    private readonly outcomes: RecordWalletOutcome,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async handle(row: OutboxRow): Promise<void> {
    const caseId = row.caseId!;
    const type = row.type as (typeof this.types)[number];
    const kind = KIND_OF[type];
    const em = this.em.fork();
    const theCase = await em.findOneOrFail(CaseEntity, { id: caseId }, { fields: ['customerId', 'kind'] });
    await em
      .createQueryBuilder(WalletAccountActionEntity)
      .insert({
        id: randomUUID(),
        caseId,
        outboxId: row.id,
        idempotencyKey: `${caseId}-${row.id}`,
        kind,
        accountId: theCase.customerId,
        status: 'requested',
        createdAt: this.clock.now(),
      })
      .onConflict('outbox_id')
      .ignore()
      .execute();
    const action = await em.findOneOrFail(WalletAccountActionEntity, { outboxId: row.id });
    if (action.status === 'failed') throw new Error(`The wallet refused the ${kind} of case ${caseId}; see the log (wallet.account_action_refused)`);
    if (action.status !== 'requested') return;

    const request = { accountId: action.accountId, idempotencyKey: action.idempotencyKey, reason: `${theCase.kind} ${caseId}` };
    let answer: WalletAccountAction;
    try {
      if (type === 'postBalanceCorrection') {
        const params = row.payload as unknown as BalanceCorrectionEffect['params'];
        answer = await this.wallet.postBalanceCorrection({ ...request, amountMinor: params.amountMinor, currency: params.currency, direction: params.direction });
      } else {
        const reason = (row.payload as unknown as AccountEffect['params']).reason;
        const withReason = { ...request, reason: reason ? `${reason} (${request.reason})` : request.reason };
        answer =
          type === 'freezeAccount'
            ? await this.wallet.freezeAccount(withReason)
            : type === 'unfreezeAccount'
              ? await this.wallet.unfreezeAccount(withReason)
              : await this.wallet.resetCredentials(withReason);
      }
    } catch (error) {
      // Refused for good: recorded on the row; the effect fails so it shows in effects_unfinished for a person.
      if (error instanceof WalletCallError && error.kind === 'rejected') {
        await em.nativeUpdate(WalletAccountActionEntity, { id: action.id, status: 'requested' }, { status: 'failed' });
        this.logger.error({ event: 'wallet.account_action_refused', caseId, kind, code: error.code });
      }
      throw error;
    }
    // A posted correction is reported with its ledger entry; without one, the callback brings it.
    if (answer.status === 'completed' && (kind !== 'balance_correction' || answer.ledgerEntryRef)) {
      await this.outcomes.accountAction(action, { kind, ledgerEntryRef: answer.ledgerEntryRef ?? null });
      return;
    }
    // Processing (or completed without its ledger entry): the wallet's callback settles it.
    await em.nativeUpdate(
      WalletAccountActionEntity,
      { id: action.id, status: 'requested' },
      { status: answer.status === 'failed' ? 'failed' : 'processing', walletActionId: answer.actionId },
    );
  }
}
