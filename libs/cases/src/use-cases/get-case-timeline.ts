import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AgentEntity, CaseEntity, CaseEventEntity } from '@app/db';
import { caseNotFound, isUuid } from '../errors';

export interface TimelineEntry {
  id: number;
  category: 'machine' | 'annotation';
  type: string;
  actor: { kind: string; id: string | null; name: string | null };
  from: string | null;
  to: string | null;
  caseVersion: number;
  payload: Record<string, unknown>;
  at: string;
}

@Injectable()
export class GetCaseTimeline {
  constructor(private readonly em: EntityManager) {}

  async execute(caseId: string): Promise<TimelineEntry[]> {
    if (!isUuid(caseId)) throw caseNotFound(caseId);
    const em = this.em.fork();
    const exists = await em.count(CaseEntity, { id: caseId });
    if (!exists) throw caseNotFound(caseId);
    const events = await em.find(CaseEventEntity, { caseId }, { orderBy: { id: 'asc' } });
    const agentIds = [...new Set(events.filter((e) => e.actorKind === 'agent' && e.actorId).map((e) => e.actorId!))];
    const agents = agentIds.length ? await em.find(AgentEntity, { id: { $in: agentIds } }, { fields: ['id', 'displayName'] }) : [];
    const names = new Map(agents.map((agent) => [agent.id, agent.displayName]));
    return events.map((event) => ({
      id: Number(event.id),
      category: event.category,
      type: event.type,
      actor: { kind: event.actorKind, id: event.actorId, name: event.actorId ? names.get(event.actorId) ?? null : null },
      from: event.fromState,
      to: event.toState,
      caseVersion: event.caseVersion,
      payload: event.payload,
      at: event.createdAt.toISOString(),
    }));
  }
}
