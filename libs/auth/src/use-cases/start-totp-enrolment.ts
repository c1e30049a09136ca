import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AgentEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { TotpCodes } from '../totp/totp-codes';
import { agentNotFound } from './agent-guards';

/**
 * Hands a signed-in agent a new TOTP seed to add to an authenticator app. Nothing changes for
 * their login until ConfirmTotpEnrolment sees a code from it; asking again replaces the pending seed.
 */
@Injectable()
export class StartTotpEnrolment {
  constructor(
    private readonly em: EntityManager,
    private readonly codes: TotpCodes,
  ) {}

  async execute(agentId: string): Promise<{ secret: string; otpauthUrl: string }> {
    return this.em.fork().transactional(async (em) => {
      const agent = await em.findOne(AgentEntity, { id: agentId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!agent) throw agentNotFound(agentId);
      if (agent.totpEnabledAt) throw new DomainError(DomainErrorCode.TotpAlreadyEnabled, 'Two-factor login is on already; an admin can reset it.');
      const seed = this.codes.newSeed();
      agent.totpPendingSecretSealed = this.codes.seal(seed, agent.id);
      return { secret: seed, otpauthUrl: this.codes.otpauthUrl(agent.email, seed) };
    });
  }
}
