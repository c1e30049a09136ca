import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CaseEntity, type OutboxEntity } from '@app/db';
import { WalletGateway, type AccountAction } from '../gateways/wallet-gateway';
import type { EffectHandler } from './effect-handler';

/** Freezes, unfreezes, resets credentials and posts balance corrections through the wallet gateway. */
@Injectable()
export class AccountActionHandler implements EffectHandler {
  readonly types = ['freezeAccount', 'unfreezeAccount', 'resetCredentials', 'postBalanceCorrection'] as const;

  constructor(
    private readonly em: EntityManager,
    private readonly gateway: WalletGateway,
  ) {}

  async handle(row: OutboxEntity): Promise<void> {
    const theCase = await this.em.fork().findOneOrFail(CaseEntity, { id: row.caseId! }, { fields: ['customerId'] });
    await this.gateway.applyAccountAction({
      idempotencyKey: row.id,
      customerId: theCase.customerId,
      action: row.type as AccountAction['action'],
      details: row.payload,
    });
  }
}
