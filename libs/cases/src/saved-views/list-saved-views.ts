import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AgentEntity, SavedViewEntity } from '@app/db';
import { toSavedViewView, type SavedViewView, type ViewOwner } from './saved-view';

/** The asking agent's own views, then the team's shared ones, each by name. */
@Injectable()
export class ListSavedViews {
  constructor(private readonly em: EntityManager) {}

  async execute(asker: ViewOwner): Promise<SavedViewView[]> {
    const em = this.em.fork();
    const views = await em.find(SavedViewEntity, { $or: [{ ownerId: asker.id }, { shared: true }] }, { orderBy: { name: 'asc', id: 'asc' } });
    const owners = await em.find(AgentEntity, { id: { $in: [...new Set(views.map((view) => view.ownerId))] } }, { fields: ['id', 'displayName'] });
    const names = new Map(owners.map((owner) => [owner.id, owner.displayName]));
    const mineFirst = [...views.filter((view) => view.ownerId === asker.id), ...views.filter((view) => view.ownerId !== asker.id)];
    return mineFirst.map((view) => toSavedViewView(view, names.get(view.ownerId) ?? null, asker));
  }
}
