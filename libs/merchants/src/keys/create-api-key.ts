import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuditLog, COMMAND_LINE_ACTOR, type AdminAuditActor } from '@app/audit';
import { Clock } from '@app/config';
import { MerchantApiKeyEntity, MerchantEntity, type ApiKeyKind } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { generateApiKey } from './api-key-format';
import { toApiKeyView, type ApiKeyView } from './views';

export interface CreateApiKeyCommand {
  merchantId: string;
  kind: ApiKeyKind;
  /** False: a test-mode key (`sk_test_`/`rk_test_`), which sees and makes only test data. Live by default. */
  livemode?: boolean;
  name?: string;
  /** The admin who asked for it; absent when a tool (the demo seed) creates it. */
  createdBy?: string;
}

/**
 * Creates a key and returns it in full; this is the only time anyone sees it. The admin audit log
 * gets the key's id, kind, name and visible prefix (never the key) in the same transaction.
 */
@Injectable()
export class CreateApiKey {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** `actor` is the admin; a tool (the demo seed) acts as the command line. */
  async execute(command: CreateApiKeyCommand, actor: AdminAuditActor = COMMAND_LINE_ACTOR): Promise<ApiKeyView & { key: string }> {
    const em = this.em.fork();
    const merchant = await em.findOne(MerchantEntity, { id: command.merchantId, active: true });
    if (!merchant) throw new DomainError(DomainErrorCode.NotFound, `No active merchant ${command.merchantId}.`, { merchantId: command.merchantId });
    const livemode = command.livemode ?? true;
    const generated = generateApiKey(command.kind, livemode);
    const entity = em.create(MerchantApiKeyEntity, {
      id: randomUUID(),
      merchantId: merchant.id,
      kind: command.kind,
      livemode,
      name: command.name ?? null,
      prefix: generated.prefix,
      keyHash: generated.hash,
      createdBy: command.createdBy ?? null,
      createdAt: this.clock.now(),
    });
    this.audit.record(
      em,
      {
        actor,
        action: 'merchant_api_key.created',
        target: { type: 'merchant_api_key', id: entity.id },
        details: { merchantId: merchant.id, kind: entity.kind, livemode, name: entity.name, prefix: entity.prefix },
      },
      entity.createdAt,
    );
    await em.flush();
    return { ...toApiKeyView(entity), key: generated.key };
  }
}
