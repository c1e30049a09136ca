import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuditLog, type AdminAuditActor } from '@app/audit';
import { Clock } from '@app/config';
import { AgentEntity, AgentRecoveryCodeEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { revokeAgentSessions } from '../agent-sessions';
import { SessionRevocations } from '../session-revocations';
import { TotpCodes } from '../totp/totp-codes';
import { agentNotFound } from './agent-guards';

/**
 * Turns two-factor login on once the agent proves their app holds the pending seed (a current
 * code), and answers ten recovery codes, shown this once. The agent's other sessions, opened with
 * the password alone, end.
 */
@Injectable()
export class ConfirmTotpEnrolment {
  constructor(
    private readonly em: EntityManager,
    private readonly codes: TotpCodes,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
    private readonly revocations: SessionRevocations,
  ) {}

  async execute(command: { agentId: string; code: string; keepSessionToken: string }, actor: AdminAuditActor): Promise<{ recoveryCodes: string[] }> {
    const answer = await this.em.fork().transactional(async (em) => {
      const agent = await em.findOne(AgentEntity, { id: command.agentId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!agent) throw agentNotFound(command.agentId);
      if (agent.totpEnabledAt) throw new DomainError(DomainErrorCode.TotpAlreadyEnabled, 'Two-factor login is on already.');
      if (!agent.totpPendingSecretSealed) throw new DomainError(DomainErrorCode.InvalidTotp, 'Start the enrolment first: no seed is pending.');
      const step = this.codes.stepOf(this.codes.open(agent.totpPendingSecretSealed, agent.id), command.code);
      if (step === null) throw new DomainError(DomainErrorCode.InvalidTotp, 'The code does not match the new seed; check the app and the clock.');
      const now = this.clock.now();
      agent.totpSecretSealed = agent.totpPendingSecretSealed;
      agent.totpPendingSecretSealed = null;
      agent.totpEnabledAt = now;
      agent.totpLastStep = String(step);
      await em.nativeDelete(AgentRecoveryCodeEntity, { agentId: agent.id });
      const recovery = this.codes.newRecoveryCodes();
      for (const { hash } of recovery) em.create(AgentRecoveryCodeEntity, { id: randomUUID(), agentId: agent.id, codeHash: hash, createdAt: now });
      await revokeAgentSessions(em, agent.id, 'totp_enabled', now, command.keepSessionToken);
      this.audit.record(em, { actor, action: 'agent.totp_enabled', target: { type: 'agent', id: agent.id } }, now);
      return { recoveryCodes: recovery.map((entry) => entry.code) };
    });
    // Every session of the agent: the one kept no longer needs to enrol.
    await this.revocations.announce({ agentId: command.agentId });
    return answer;
  }
}
