import { randomBytes } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
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
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: CreateMerchantCommand): Promise<MerchantView> {
    const em = this.em.fork();
    const merchant = em.create(MerchantEntity, {
      id: command.id ?? `m_${randomBytes(8).toString('hex')}`,
      name: command.name,
      createdAt: this.clock.now(),
    });
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
