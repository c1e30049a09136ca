import { randomUUID } from 'crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { AgentEntity, SavedViewEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { MAX_SAVED_VIEWS, mayShare, rethrowNameTaken, sharingForbidden, toSavedViewView, type SavedViewQuery, type SavedViewView, type ViewOwner } from './saved-view';

export interface SaveViewCommand {
  name: string;
  query: SavedViewQuery;
  shared?: boolean;
}

/** Saves the queue as the agent sees it under a name of theirs; supervisors may share it with the team at once. */
@Injectable()
export class SaveView {
  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: SaveViewCommand, asker: ViewOwner): Promise<SavedViewView> {
    if (command.shared && !mayShare(asker)) throw sharingForbidden();
    const em = this.em.fork();
    const owned = await em.count(SavedViewEntity, { ownerId: asker.id });
    if (owned >= MAX_SAVED_VIEWS) {
      throw new DomainError(DomainErrorCode.ValidationFailed, `An agent keeps at most ${MAX_SAVED_VIEWS} views; delete one first.`, {
        fields: [{ path: 'name', message: `at most ${MAX_SAVED_VIEWS} views per agent` }],
      });
    }
    const now = this.clock.now();
    const view = em.create(SavedViewEntity, {
      id: randomUUID(),
      ownerId: asker.id,
      name: command.name.trim(),
      query: command.query,
      shared: command.shared ?? false,
      createdAt: now,
      updatedAt: now,
    });
    await em.flush().catch((error) => rethrowNameTaken(error, view.name));
    const owner = await em.findOne(AgentEntity, { id: asker.id }, { fields: ['displayName'] });
    return toSavedViewView(view, owner?.displayName ?? null, asker);
  }
}
