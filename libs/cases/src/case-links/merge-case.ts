import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { CaseEntity, CaseEventEntity, CaseLinkEntity, EvidenceFileEntity, RefundEntity } from '@app/db';
import { DomainError, DomainErrorCode, MERGE_EVENT, definitionFor } from '@app/domain';
import type { Actor } from '../actor';
import { caseNotFound, isUuid } from '../errors';
import { GetCase } from '../use-cases/get-case';
import { SendCaseEvent } from '../use-cases/send-case-event';
import type { CaseView } from '../views/case-view';
import { annotate, linkKey } from './case-link-rows';

export interface MergeCaseCommand {
  /** The duplicate: it closes. */
  caseId: string;
  /** The original: the work goes on there. */
  intoCaseId: string;
  /** The duplicate's version the agent saw (optional; a stale one is a 409). */
  expectedVersion?: number;
}

export interface MergedCase {
  intoCaseId: string;
  /** The duplicate as the merge left it (state `merged`). */
  duplicate: CaseView;
}

type MergeRefusal = 'into_itself' | 'duplicate_closed' | 'already_merged' | 'original_closed' | 'original_merged' | 'not_related' | 'machine_version';

function refused(reason: MergeRefusal, message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError(DomainErrorCode.MergeRefused, message, { reason, ...details });
}

const mergedIntoOf = (entity: CaseEntity): string | null => {
  const value = (entity.snapshot as { context?: { mergedInto?: unknown } }).context?.mergedInto;
  return typeof value === 'string' ? value : null;
};

/**
 * Merges a duplicate into its original, as Zendesk and Zammad do: only between open cases of the
 * same customer (or the same transaction), never into itself, a closed case or a merged one, and
 * never a duplicate with money on it (its refunds must settle where they were decided). The
 * duplicate closes through its machine (MERGE_INTO → merged, on the one command path, which also
 * cancels its deadlines); in the same transaction its notes are copied to the original's timeline,
 * its customer-side evidence files move over, the two are linked as duplicate → original, and the
 * original's timeline says what came in. Repeating a merge that happened returns the same answer.
 */
@Injectable()
export class MergeCase {
  constructor(
    private readonly sendCaseEvent: SendCaseEvent,
    private readonly getCase: GetCase,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: MergeCaseCommand, actor: Actor): Promise<MergedCase> {
    if (!isUuid(command.caseId)) throw caseNotFound(command.caseId);
    if (!isUuid(command.intoCaseId)) throw caseNotFound(command.intoCaseId);
    if (command.caseId === command.intoCaseId) throw refused('into_itself', 'A case cannot be merged into itself.');
    const mergedBy = actor.label ?? actor.id ?? actor.kind;
    // The machine event is the system's: agents cannot send MERGE_INTO alone, only through these checks.
    const mergeActor: Actor = { kind: 'system', id: 'merge', label: actor.label };
    const event = { caseId: command.caseId, event: { type: MERGE_EVENT, intoCaseId: command.intoCaseId, mergedBy }, expectedVersion: command.expectedVersion };
    // Composed on the one command path: the duplicate's row locked first, the checks and the moved
    // work next, then the event applied; any refusal rolls back everything.
    const applied = await this.sendCaseEvent.transaction(event, async ({ em, sql }) => {
      const locked = await this.sendCaseEvent.lock(sql, command.caseId, mergeActor);
      const duplicate = locked.entity;
      const already = mergedIntoOf(duplicate);
      if (already === command.intoCaseId) return null;
      if (already) throw refused('already_merged', `Case ${duplicate.id} was merged into ${already} already.`, { mergedInto: already });
      if (duplicate.status !== 'active') throw refused('duplicate_closed', `Case ${duplicate.id} is closed; only an open case is merged.`);
      // A case keeps the machine version it opened on; versions before the merge have no way to close as merged.
      if (!(MERGE_EVENT in definitionFor(duplicate.kind, duplicate.machineVersion).events)) {
        throw refused(
          'machine_version',
          `Case ${duplicate.id} runs on ${duplicate.kind} v${duplicate.machineVersion}, which cannot close as merged; close it as its lifecycle allows.`,
        );
      }
      const original = await em.findOne(CaseEntity, { id: command.intoCaseId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!original) throw caseNotFound(command.intoCaseId);
      const originalsOriginal = mergedIntoOf(original);
      if (originalsOriginal) {
        throw refused('original_merged', `Case ${original.id} is itself a merged duplicate; merge into ${originalsOriginal} instead.`, { mergedInto: originalsOriginal });
      }
      if (original.status !== 'active') throw refused('original_closed', `Case ${original.id} is closed; merge into an open case.`);
      const sameCustomer = duplicate.customerId === original.customerId;
      const sameTransaction = duplicate.transactionRef !== null && duplicate.transactionRef === original.transactionRef;
      if (!sameCustomer && !sameTransaction) throw refused('not_related', 'Only cases of the same customer or the same transaction are merged.');
      const refunds = await em.count(RefundEntity, { caseId: duplicate.id });
      if (refunds > 0) {
        throw new DomainError(DomainErrorCode.MergeMoneyInvolved, `Case ${duplicate.id} has refunds requested, in flight or paid; settle it on its own instead of merging it.`, {
          refunds,
        });
      }
      await this.moveWork(em, duplicate, original, actor);
      return this.sendCaseEvent.apply(sql, locked, event, mergeActor);
    });
    if (applied) await this.sendCaseEvent.publish(applied);
    return { intoCaseId: command.intoCaseId, duplicate: await this.getCase.execute(command.caseId, actor) };
  }

  private async moveWork(em: EntityManager, duplicate: CaseEntity, original: CaseEntity, actor: Actor): Promise<void> {
    const now = this.clock.now();
    // The timeline is append-only and hash-chained: notes are copied (with their author and time), not moved.
    const notes = await em.find(CaseEventEntity, { caseId: duplicate.id, type: 'case.note_added' }, { orderBy: { id: 'asc' } });
    for (const note of notes) {
      em.create(CaseEventEntity, {
        caseId: original.id,
        category: 'annotation',
        type: 'case.note_added',
        actorKind: note.actorKind,
        actorId: note.actorId,
        fromState: original.state,
        toState: original.state,
        caseVersion: original.version,
        payload: { ...(note.payload as Record<string, unknown>), movedFrom: duplicate.id, writtenAt: note.createdAt.toISOString() },
        createdAt: now,
      });
    }
    // Files outside a merchant's submission (the customer's and agents'); a merchant's submissions answer that dispute and stay with it.
    const evidence = await em.nativeUpdate(EvidenceFileEntity, { caseId: duplicate.id, submissionId: null }, { caseId: original.id });
    const key = linkKey(duplicate.id, original.id);
    const link = await em.findOne(CaseLinkEntity, key);
    if (link) link.kind = 'duplicate';
    else em.create(CaseLinkEntity, { ...key, kind: 'duplicate', createdBy: actor.kind === 'agent' ? actor.id : null, createdAt: now });
    annotate(em, original, 'case.merged_from', { duplicateCaseId: duplicate.id, notesCopied: notes.length, evidenceMoved: evidence }, actor, now);
  }
}
