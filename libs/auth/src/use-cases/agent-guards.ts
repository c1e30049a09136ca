import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AgentEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';

export const agentNotFound = (id: string) => new DomainError(DomainErrorCode.AgentNotFound, `No agent ${id}.`);

/** The active admins, locked: two admins demoting each other at once cannot both succeed. */
export function lockActiveAdmins(em: EntityManager): Promise<AgentEntity[]> {
  return em.find(AgentEntity, { role: 'admin', active: true }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } });
}
