import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuditLog, type AdminAuditActor } from '@app/audit';
import { Clock } from '@app/config';
import { AgentEntity, AgentRecoveryCodeEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { revokeAgentSessions } from '../agent-sessions';
import { SessionRevocations } from '../session-revocations';
import { agentNotFound } from './agent-guards';

/**
 * An admin turns another agent's two-factor login off (a lost phone and lost recovery codes):
 * seed and codes are dropped and every session of the agent ends; where the role requires it,
 * their next login can only enrol again. Nobody resets their own.
 */
@Injectable()
export class ResetAgentTotp {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
    private readonly revocations: SessionRevocations,
  ) {}

  async execute(agentId: string, actor: AdminAuditActor): Promise<void> {
    if (actor.id === agentId) throw new DomainError(DomainErrorCode.Forbidden, 'Another admin must reset your two-factor login.');
    await this.em.fork().transactional(async (em) => {
      const agent = await em.findOne(AgentEntity, { id: agentId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!agent) throw agentNotFound(agentId);
      const now = this.clock.now();
      Object.assign(agent, { totpSecretSealed: null, totpPendingSecretSealed: null, totpEnabledAt: null, totpLastStep: null });
      await em.nativeDelete(AgentRecoveryCodeEntity, { agentId });
      await revokeAgentSessions(em, agentId, 'totp_reset', now);
      this.audit.record(em, { actor, action: 'agent.totp_reset', target: { type: 'agent', id: agentId } }, now);
    });
    await this.revocations.announce({ agentId });
  }
}
