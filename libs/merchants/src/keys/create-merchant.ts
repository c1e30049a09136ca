import { randomBytes } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuditLog, COMMAND_LINE_ACTOR, type AdminAuditActor } from '@app/audit';
import { Clock } from '@app/config';
import { MerchantEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { toMerchantView, type MerchantView } from './views';

export interface CreateMerchantCommand {
  /** The wallet's merchant id, as cases carry it; generated when absent. */
  id?: string;
  name: string;
}

@Injectable()
export class CreateMerchant {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** `actor` is the admin; a tool (the demo seed) acts as the command line. */
  async execute(command: CreateMerchantCommand, actor: AdminAuditActor = COMMAND_LINE_ACTOR): Promise<MerchantView> {
    const em = this.em.fork();
    const now = this.clock.now();
    const merchant = em.create(MerchantEntity, {
      id: command.id ?? `m_${randomBytes(8).toString('hex')}`,
      name: command.name,
      createdAt: now,
    });
    this.audit.record(em, { actor, action: 'merchant.created', target: { type: 'merchant', id: merchant.id }, details: { name: merchant.name } }, now);
    try {
      await em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new DomainError(DomainErrorCode.ValidationFailed, `A merchant ${merchant.id} exists already.`, {
          fields: [{ path: 'id', message: 'already taken' }],
        });
      }
      throw error;
    }
    return toMerchantView(merchant);
  }
}
