import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { SavedViewEntity } from '@app/db';
import { isUuid } from '../errors';
import { savedViewNotFound, type ViewOwner } from './saved-view';

/** Deletes one of the asker's views (a shared one leaves the team's list with it). */
@Injectable()
export class DeleteSavedView {
  constructor(private readonly em: EntityManager) {}

  async execute(id: string, asker: ViewOwner): Promise<void> {
    if (!isUuid(id)) throw savedViewNotFound(id);
    const deleted = await this.em.fork().nativeDelete(SavedViewEntity, { id, ownerId: asker.id });
    if (deleted === 0) throw savedViewNotFound(id);
  }
}
