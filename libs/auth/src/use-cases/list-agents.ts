import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AgentEntity, UUID_PATTERN, decodeCursor, pageOf, pageSize, type Page } from '@app/db';
import { toAuthenticatedAgent, type AuthenticatedAgent } from '../agent-sessions';

export interface ListAgentsOptions {
  /** Admins: the deactivated agents too, marked. */
  includeInactive?: boolean;
  /** Supervisors and admins: whether each has two-factor login on, and when they last signed in. */
  withAccountStatus?: boolean;
  cursor?: string;
  limit?: number;
}

export interface AgentListEntry extends AuthenticatedAgent {
  active: boolean;
  totpEnabled?: boolean;
  lastLoginAt?: string | null;
}

/** Agents by name (then id), a page at a time: the assignee picker, the supervisor view, the admins' list. */
@Injectable()
export class ListAgents {
  constructor(private readonly em: EntityManager) {}

  async execute(query: ListAgentsOptions = {}): Promise<Page<AgentListEntry>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, 2, ([, id]) => UUID_PATTERN.test(id!)) : undefined;
    const where = {
      ...(query.includeInactive ? {} : { active: true }),
      ...(after ? { $or: [{ displayName: { $gt: after[0]! } }, { displayName: after[0]!, id: { $gt: after[1]! } }] } : {}),
    };
    const rows = await this.em.fork().find(AgentEntity, where, { orderBy: { displayName: 'asc', id: 'asc' }, limit: limit + 1 });
    return pageOf(
      rows,
      limit,
      (agent) => [agent.displayName, agent.id],
      (agent) => ({
        ...toAuthenticatedAgent(agent),
        active: agent.active,
        ...(query.withAccountStatus ? { totpEnabled: agent.totpEnabledAt !== null, lastLoginAt: agent.lastLoginAt?.toISOString() ?? null } : {}),
      }),
    );
  }
}
