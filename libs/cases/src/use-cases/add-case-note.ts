import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { CaseEntity, CaseEventEntity } from '@app/db';
import type { Actor } from '../actor';
import { caseNotFound, isUuid } from '../errors';

/**
 * Adds an internal note to the timeline. Notes do not change the case, so they do not bump its
 * version: a colleague's note must not turn an agent's pending decision into a conflict.
 */
@Injectable()
export class AddCaseNote {
  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: { caseId: string; body: string }, actor: Actor): Promise<number> {
    if (!isUuid(command.caseId)) throw caseNotFound(command.caseId);
    return this.em.transactional(async (em) => {
      const entity = await em.findOne(CaseEntity, { id: command.caseId }, { fields: ['id', 'state', 'version'] });
      if (!entity) throw caseNotFound(command.caseId);
      const note = em.create(CaseEventEntity, {
        caseId: entity.id,
        category: 'annotation',
        type: 'case.note_added',
        actorKind: actor.kind,
        actorId: actor.id,
        fromState: entity.state,
        toState: entity.state,
        caseVersion: entity.version,
        payload: { body: command.body, internal: true },
        createdAt: this.clock.now(),
      });
      await em.flush();
      return note.id;
    });
  }
}
