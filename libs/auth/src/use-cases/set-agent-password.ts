import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuditLog, type AdminAuditActor } from '@app/audit';
import { Clock } from '@app/config';
import { AgentEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { revokeAgentSessions } from '../agent-sessions';
import { SessionRevocations } from '../session-revocations';
import { MIN_PASSWORD_LENGTH } from '../create-agent';
import { PasswordHasher } from '../password-hasher';
import { agentNotFound } from './agent-guards';

export type SetAgentPasswordCommand =
  /** An admin resets someone's password: every session of theirs ends. */
  | { kind: 'reset_by_admin'; agentId: string; newPassword: string }
  /** An agent changes their own: the current one is checked; their other sessions end. */
  | { kind: 'changed_by_self'; agentId: string; currentPassword: string; newPassword: string; keepSessionToken: string };

/** Sets a new password (argon2id), ends the sessions it must, and writes the audit log; one transaction. */
@Injectable()
export class SetAgentPassword {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
    private readonly revocations: SessionRevocations,
  ) {}

  async execute(command: SetAgentPasswordCommand, actor: AdminAuditActor): Promise<void> {
    if (command.newPassword.length < MIN_PASSWORD_LENGTH) {
      throw new DomainError(DomainErrorCode.ValidationFailed, 'The new password is too short.', {
        fields: [{ path: 'newPassword', message: `at least ${MIN_PASSWORD_LENGTH} characters` }],
      });
    }
    // Hash before the transaction: the row lock is not held across tens of milliseconds of argon2.
    const newHash = await this.hasher.hash(command.newPassword);
    await this.em.fork().transactional(async (em) => {
      const agent = await em.findOne(AgentEntity, { id: command.agentId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!agent) throw agentNotFound(command.agentId);
      if (command.kind === 'changed_by_self' && !(await this.hasher.verify(agent.passwordHash, command.currentPassword))) {
        throw new DomainError(DomainErrorCode.ValidationFailed, 'The current password is wrong.', {
          fields: [{ path: 'currentPassword', message: 'does not match' }],
        });
      }
      const now = this.clock.now();
      agent.passwordHash = newHash;
      agent.passwordChangedAt = now;
      if (command.kind === 'reset_by_admin') await revokeAgentSessions(em, agent.id, 'password_reset', now);
      else await revokeAgentSessions(em, agent.id, 'password_changed', now, command.keepSessionToken);
      this.audit.record(em, { actor, action: command.kind === 'reset_by_admin' ? 'agent.password_reset' : 'agent.password_changed', target: { type: 'agent', id: agent.id } }, now);
    });
    await this.revocations.announce({ agentId: command.agentId });
  }
}
