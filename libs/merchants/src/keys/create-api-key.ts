import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { MerchantApiKeyEntity, MerchantEntity, type ApiKeyKind } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { generateApiKey } from './api-key-format';
import { toApiKeyView, type ApiKeyView } from './views';

export interface CreateApiKeyCommand {
  merchantId: string;
  kind: ApiKeyKind;
  name?: string;
  /** The admin who asked for it; absent when a tool (the demo seed) creates it. */
  createdBy?: string;
}

/** Creates a key and returns it in full; this is the only time anyone sees it. */
@Injectable()
export class CreateApiKey {
  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: CreateApiKeyCommand): Promise<ApiKeyView & { key: string }> {
    const em = this.em.fork();
    const merchant = await em.findOne(MerchantEntity, { id: command.merchantId, active: true });
    if (!merchant) throw new DomainError(DomainErrorCode.NotFound, `No active merchant ${command.merchantId}.`, { merchantId: command.merchantId });
    const generated = generateApiKey(command.kind);
    const entity = em.create(MerchantApiKeyEntity, {
      id: randomUUID(),
      merchantId: merchant.id,
      kind: command.kind,
      name: command.name ?? null,
      prefix: generated.prefix,
      keyHash: generated.hash,
      createdBy: command.createdBy ?? null,
      createdAt: this.clock.now(),
    });
    await em.flush();
    return { ...toApiKeyView(entity), key: generated.key };
  }
}
