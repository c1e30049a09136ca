import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CaseTransition } from '@app/domain';
import { CaseEntity, CaseEventEntity, DeadlineEntity, OutboxEntity } from '@app/db';
import type { Actor } from './actor';
import type { CommittedWork } from './dispatch/post-commit-dispatcher';

/**
 * Writes one machine transition into the unit of work of the current transaction: the new
 * snapshot on the case (the flush bumps its version, WHERE version = old), the timeline row,
 * deadline rows for scheduled `after` events, cancelled deadlines, and outbox rows for effects.
 * Everything commits together or not at all.
 */
export async function recordTransition(
  em: EntityManager,
  caseEntity: CaseEntity,
  transition: CaseTransition,
  actor: Actor,
  now: Date,
  options: { isNew: boolean },
): Promise<CommittedWork> {
  const fromState = options.isNew ? null : caseEntity.state;
  const pending = options.isNew ? [] : await em.find(DeadlineEntity, { caseId: caseEntity.id, status: 'pending' });

  const cancelledDeadlineIds: string[] = [];
  for (const deadline of pending) {
    if (transition.cancelledSendIds.includes(deadline.sendId)) {
      deadline.status = 'cancelled';
      deadline.settledAt = now;
      cancelledDeadlineIds.push(deadline.id);
    }
  }

  const scheduledDeadlines = transition.scheduled.map((scheduled) => {
    const deadline = em.create(DeadlineEntity, {
      id: randomUUID(),
      caseId: caseEntity.id,
      name: scheduled.name,
      sendId: scheduled.sendId,
      event: scheduled.event,
      dueAt: new Date(now.getTime() + scheduled.delayMs),
      createdAt: now,
    });
    return deadline;
  });

  const stillPending = [...pending.filter((deadline) => deadline.status === 'pending'), ...scheduledDeadlines];
  caseEntity.nextDeadlineAt = stillPending.length
    ? new Date(Math.min(...stillPending.map((deadline) => deadline.dueAt.getTime())))
    : null;
  caseEntity.snapshot = transition.snapshot;
  caseEntity.state = transition.state;
  caseEntity.status = transition.status;

  em.create(CaseEventEntity, {
    caseId: caseEntity.id,
    category: 'machine',
    type: transition.event.type,
    actorKind: actor.kind,
    actorId: actor.id,
    fromState,
    toState: transition.state,
    caseVersion: options.isNew ? 1 : caseEntity.version + 1,
    payload: transition.event,
    createdAt: now,
  });

  const outbox = transition.effects.map((effect) =>
    em.create(OutboxEntity, {
      id: randomUUID(),
      caseId: caseEntity.id,
      type: effect.type,
      payload: { ...effect.params, caseState: transition.state, caseKind: caseEntity.kind },
      createdAt: now,
    }),
  );

  return { scheduledDeadlines, cancelledDeadlineIds, outbox };
}
