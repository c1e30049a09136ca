import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { AgentEntity, CaseEntity, CaseEventEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import type { Actor } from '../actor';
import { caseNotFound, isUuid, rethrowLockConflict, versionConflict } from '../errors';

export interface AssignCaseCommand {
  caseId: string;
  /** null unassigns. */
  assigneeId: string | null;
  expectedVersion?: number;
}

/** Sets or clears the case's assignee and records who did it on the timeline. */
@Injectable()
export class AssignCase {
  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: AssignCaseCommand, actor: Actor): Promise<number> {
    if (!isUuid(command.caseId)) throw caseNotFound(command.caseId);
    return this.em
      .transactional(async (em) => {
        const entity = await em.findOne(CaseEntity, { id: command.caseId }, { populate: ['assignee'] });
        if (!entity) throw caseNotFound(command.caseId);
        if (command.expectedVersion !== undefined && entity.version !== command.expectedVersion) {
          throw versionConflict(entity.id, command.expectedVersion, entity.version);
        }
        let assignee: AgentEntity | null = null;
        if (command.assigneeId !== null) {
          assignee = isUuid(command.assigneeId) ? await em.findOne(AgentEntity, { id: command.assigneeId, active: true }) : null;
          if (!assignee) {
            throw new DomainError(DomainErrorCode.ValidationFailed, `No active agent ${command.assigneeId}.`, {
              fields: [{ path: 'assigneeId', message: 'must be an active agent' }],
            });
          }
        }
        const previous = entity.assignee?.id ?? null;
        entity.assignee = assignee;
        em.create(CaseEventEntity, {
          caseId: entity.id,
          category: 'annotation',
          type: 'case.assigned',
          actorKind: actor.kind,
          actorId: actor.id,
          fromState: entity.state,
          toState: entity.state,
          caseVersion: entity.version + 1,
          payload: { from: previous, to: assignee?.id ?? null, toName: assignee?.displayName ?? null },
          createdAt: this.clock.now(),
        });
        return entity.version + 1;
      })
      .catch((error) => rethrowLockConflict(error, command.caseId, command.expectedVersion));
  }
}
