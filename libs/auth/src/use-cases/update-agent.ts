import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuditLog, type AdminAuditActor } from '@app/audit';
import { Clock } from '@app/config';
import { AgentEntity } from '@app/db';
import { DomainError, DomainErrorCode, type AgentRole } from '@app/domain';
import { revokeAgentSessions, toAuthenticatedAgent, type AuthenticatedAgent } from '../agent-sessions';
import { SessionRevocations } from '../session-revocations';
import { agentNotFound, lockActiveAdmins } from './agent-guards';

export interface UpdateAgentCommand {
  agentId: string;
  role?: AgentRole;
  active?: boolean;
  displayName?: string;
  locale?: 'zh-CN' | 'en';
}

/**
 * An admin changes an agent: role, name, language, or active. Deactivating ends every session of
 * the agent in the same transaction; every process holding a session of theirs in memory hears of
 * any change after the commit. Nothing may leave the desk without an active admin. Each change is
 * written to the audit log with what it was before.
 */
@Injectable()
export class UpdateAgent {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
    private readonly revocations: SessionRevocations,
  ) {}

  async execute(command: UpdateAgentCommand, actor: AdminAuditActor): Promise<AuthenticatedAgent & { active: boolean }> {
    const { agent, changed } = await this.em.fork().transactional(async (em) => {
      // The admins first, always in the same order, then the agent: two admins demoting each
      // other at once queue behind each other instead of deadlocking.
      const admins = await lockActiveAdmins(em);
      const agent = await em.findOne(AgentEntity, { id: command.agentId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!agent) throw agentNotFound(command.agentId);
      const now = this.clock.now();
      const losesAdmin = agent.role === 'admin' && agent.active && ((command.role !== undefined && command.role !== 'admin') || command.active === false);
      if (losesAdmin && admins.length <= 1) throw new DomainError(DomainErrorCode.LastAdmin, 'This is the last active admin: make another admin first.');
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      const change = <K extends 'role' | 'displayName' | 'locale' | 'active'>(key: K, value: AgentEntity[K] | undefined) => {
        if (value === undefined || agent[key] === value) return;
        changes[key] = { from: agent[key], to: value };
        agent[key] = value;
      };
      change('role', command.role);
      change('displayName', command.displayName);
      change('locale', command.locale);
      change('active', command.active);
      if (changes.active) {
        agent.deactivatedAt = agent.active ? null : now;
        if (!agent.active) await revokeAgentSessions(em, agent.id, 'deactivated', now);
      }
      for (const [field, { from, to }] of Object.entries(changes)) {
        const action = field === 'active' ? (to ? 'agent.reactivated' : 'agent.deactivated') : `agent.${field === 'role' ? 'role_changed' : 'profile_changed'}`;
        this.audit.record(em, { actor, action, target: { type: 'agent', id: agent.id }, details: { field, from, to } }, now);
      }
      return { agent: { ...toAuthenticatedAgent(agent), active: agent.active }, changed: Object.keys(changes).length > 0 };
    });
    // Each of these is part of what a session resolves to (or whether it resolves at all).
    if (changed) await this.revocations.announce({ agentId: agent.id });
    return agent;
  }
}
