import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuditLog, type AdminAuditActor } from '@app/audit';
import { Clock } from '@app/config';
import { MerchantApiKeyEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { toApiKeyView, type ApiKeyView } from './views';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Revocation takes effect on the next request: the guard reads the key's row every time. The
 * admin audit log gets the revocation in the same transaction (a key revoked already is left as it is).
 */
@Injectable()
export class RevokeApiKey {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: { merchantId: string; keyId: string }, actor: AdminAuditActor): Promise<ApiKeyView> {
    const em = this.em.fork();
    const key = UUID.test(command.keyId) ? await em.findOne(MerchantApiKeyEntity, { id: command.keyId, merchantId: command.merchantId }) : null;
    if (!key) throw new DomainError(DomainErrorCode.NotFound, `No API key ${command.keyId} for merchant ${command.merchantId}.`);
    if (!key.revokedAt) {
      key.revokedAt = this.clock.now();
      this.audit.record(
        em,
        {
          actor,
          action: 'merchant_api_key.revoked',
          target: { type: 'merchant_api_key', id: key.id },
          details: { merchantId: key.merchantId, kind: key.kind, prefix: key.prefix },
        },
        key.revokedAt,
      );
    }
    await em.flush();
    return toApiKeyView(key);
  }
}
