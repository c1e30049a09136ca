import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AgentEntity, CaseEntity, CaseEventEntity, ContactRevealEntity, NotificationDeliveryEntity } from '@app/db';
import { caseNotFound, isUuid } from '../errors';

export interface TimelineEntry {
  /** The case event's number; for the merged records, `delivery-<id>` or `reveal-<id>`. */
  id: number | string;
  /**
   * `machine` and `annotation` come from the case's own log; `notification` (a customer message on
   * one channel, with its delivery status) and `contact_reveal` (an agent looked at the customer's
   * contact details) from their own tables, merged in by time.
   */
  category: 'machine' | 'annotation' | 'notification' | 'contact_reveal';
  type: string;
  actor: { kind: string; id: string | null; name: string | null };
  from: string | null;
  to: string | null;
  /** The case version the entry belongs to (for merged records, null). */
  caseVersion: number | null;
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
    const deliveries = await em.find(NotificationDeliveryEntity, { caseId }, { orderBy: { createdAt: 'asc' } });
    const reveals = await em.find(ContactRevealEntity, { caseId }, { orderBy: { createdAt: 'asc' } });
    const agentIds = [...new Set([...events.filter((e) => e.actorKind === 'agent' && e.actorId).map((e) => e.actorId!), ...reveals.map((r) => r.agentId)])];
    const agents = agentIds.length ? await em.find(AgentEntity, { id: { $in: agentIds } }, { fields: ['id', 'displayName'] }) : [];
    const names = new Map(agents.map((agent) => [agent.id, agent.displayName]));
    const entries: TimelineEntry[] = events.map((event) => ({
      id: Number(event.id),
      category: event.category,
      type: event.type,
      actor: { kind: event.actorKind, id: event.actorId, name: event.actorId ? (names.get(event.actorId) ?? null) : null },
      from: event.fromState,
      to: event.toState,
      caseVersion: event.caseVersion,
      payload: event.payload,
      at: event.createdAt.toISOString(),
    }));
    const merged: TimelineEntry[] = [
      ...deliveries.map((delivery) => ({
        id: `delivery-${delivery.id}`,
        category: 'notification' as const,
        type: `notification.${delivery.status}`,
        actor: { kind: 'system', id: 'notifications', name: null },
        from: null,
        to: null,
        caseVersion: null,
        payload: {
          topic: delivery.topic,
          audience: delivery.recipientAgentId ? 'agent' : 'customer',
          channel: delivery.channel,
          status: delivery.status,
          locale: delivery.locale,
          recipient: delivery.recipientMasked,
          title: delivery.title,
          attempts: delivery.attempts,
          notBefore: delivery.notBefore?.toISOString() ?? null,
          sentAt: delivery.sentAt?.toISOString() ?? null,
          error: delivery.lastError,
        },
        // Shown where it was decided; its status says how far it got.
        at: delivery.createdAt.toISOString(),
      })),
      ...reveals.map((reveal) => ({
        id: `reveal-${reveal.id}`,
        category: 'contact_reveal' as const,
        type: 'customer_contact.revealed',
        actor: { kind: 'agent', id: reveal.agentId, name: names.get(reveal.agentId) ?? null },
        from: null,
        to: null,
        caseVersion: null,
        payload: { fields: reveal.fields },
        at: reveal.createdAt.toISOString(),
      })),
    ];
    // A stable merge: the case's own log keeps its order; merged records go after entries of the same instant.
    return [...entries, ...merged]
      .map((entry, index) => ({ entry, index }))
      .sort((a, b) => a.entry.at.localeCompare(b.entry.at) || a.index - b.index)
      .map(({ entry }) => entry);
  }
}
