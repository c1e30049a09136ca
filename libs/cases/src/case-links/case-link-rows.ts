import type { EntityManager } from '@mikro-orm/postgresql';
import { CaseEventEntity, type CaseEntity, type CaseLinkKind } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import type { Actor } from '../actor';

/** A link has no direction: stored once, smaller id first (the table checks it). */
export function linkKey(one: string, other: string): { caseA: string; caseB: string } {
  return one < other ? { caseA: one, caseB: other } : { caseA: other, caseB: one };
}

/**
 * A timeline row about the case's relations. Like a note it changes nothing the machine sees, so
 * it does not bump the version (a colleague linking cases must not turn a decision into a conflict).
 */
export function annotate(em: EntityManager, entity: CaseEntity, type: string, payload: Record<string, unknown>, actor: Actor, now: Date): CaseEventEntity {
  return em.create(CaseEventEntity, {
    caseId: entity.id,
    category: 'annotation',
    type,
    actorKind: actor.kind,
    actorId: actor.id,
    fromState: entity.state,
    toState: entity.state,
    caseVersion: entity.version,
    payload,
    createdAt: now,
  });
}

export function linkRefused(reason: 'same_case' | 'merged', message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError(DomainErrorCode.LinkRefused, message, { reason, ...details });
}

export type { CaseLinkKind };
