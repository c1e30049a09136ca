import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { MerchantApiKeyEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { toApiKeyView, type ApiKeyView } from './views';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Revocation takes effect on the next request: the guard reads the key's row every time. */
@Injectable()
export class RevokeApiKey {
  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: { merchantId: string; keyId: string }): Promise<ApiKeyView> {
    const em = this.em.fork();
    const key = UUID.test(command.keyId) ? await em.findOne(MerchantApiKeyEntity, { id: command.keyId, merchantId: command.merchantId }) : null;
    if (!key) throw new DomainError(DomainErrorCode.NotFound, `No API key ${command.keyId} for merchant ${command.merchantId}.`);
    key.revokedAt ??= this.clock.now();
    await em.flush();
    return toApiKeyView(key);
  }
}
