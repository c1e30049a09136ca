import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { AgentEntity, SavedViewEntity } from '@app/db';
import { isUuid } from '../errors';
import { mayShare, rethrowNameTaken, savedViewNotFound, sharingForbidden, toSavedViewView, type SavedViewQuery, type SavedViewView, type ViewOwner } from './saved-view';

export interface UpdateSavedViewCommand {
  id: string;
  name?: string;
  query?: SavedViewQuery;
  shared?: boolean;
}

/** Renames a view, replaces its query, or shares or unshares it (supervisors). Only its owner changes it. */
@Injectable()
export class UpdateSavedView {
  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: UpdateSavedViewCommand, asker: ViewOwner): Promise<SavedViewView> {
    if (!isUuid(command.id)) throw savedViewNotFound(command.id);
    if (command.shared !== undefined && !mayShare(asker)) throw sharingForbidden();
    const em = this.em.fork();
    // Someone else's view is "not found" to the asker, shared or not: a shared view is read-only to the team.
    const view = await em.findOne(SavedViewEntity, { id: command.id, ownerId: asker.id });
    if (!view) throw savedViewNotFound(command.id);
    if (command.name !== undefined) view.name = command.name.trim();
    if (command.query !== undefined) view.query = command.query;
    if (command.shared !== undefined) view.shared = command.shared;
    view.updatedAt = this.clock.now();
    await em.flush().catch((error) => rethrowNameTaken(error, view.name));
    const owner = await em.findOne(AgentEntity, { id: asker.id }, { fields: ['displayName'] });
    return toSavedViewView(view, owner?.displayName ?? null, asker);
  }
}
