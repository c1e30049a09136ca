import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuditLog, COMMAND_LINE_ACTOR, type AdminAuditActor } from '@app/audit';
import { Clock } from '@app/config';
import { AgentEntity } from '@app/db';
import { DomainError, DomainErrorCode, type AgentRole } from '@app/domain';
import { toAuthenticatedAgent, type AuthenticatedAgent } from './agent-sessions';
import { PasswordHasher } from './password-hasher';

export interface CreateAgentCommand {
  email: string;
  displayName: string;
  role: AgentRole;
  password: string;
  locale?: 'zh-CN' | 'en';
}

export const MIN_PASSWORD_LENGTH = 10;

@Injectable()
export class CreateAgent {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: CreateAgentCommand, actor: AdminAuditActor = COMMAND_LINE_ACTOR): Promise<AuthenticatedAgent> {
    if (command.password.length < MIN_PASSWORD_LENGTH) {
      throw new DomainError(DomainErrorCode.ValidationFailed, 'The password is too short.', {
        fields: [{ path: 'password', message: `at least ${MIN_PASSWORD_LENGTH} characters` }],
      });
    }
    const em = this.em.fork();
    const agent = em.create(AgentEntity, {
      id: randomUUID(),
      email: command.email.trim().toLowerCase(),
      displayName: command.displayName,
      role: command.role,
      passwordHash: await this.hasher.hash(command.password),
      locale: command.locale ?? 'zh-CN',
    });
    this.audit.record(em, { actor, action: 'agent.created', target: { type: 'agent', id: agent.id }, details: { email: agent.email, role: agent.role } }, this.clock.now());
    try {
      await em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new DomainError(DomainErrorCode.ValidationFailed, 'An agent with this email exists already.', {
          fields: [{ path: 'email', message: 'already taken' }],
        });
      }
      throw error;
    }
    return toAuthenticatedAgent(agent);
  }
}
