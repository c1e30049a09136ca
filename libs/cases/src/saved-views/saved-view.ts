import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { SavedViewEntity } from '@app/db';
import { DomainError, DomainErrorCode, type AgentRole } from '@app/domain';

/**
 * The queue's URL parameters a view may hold. The queue page writes exactly these to the URL, so
 * a saved view and a shared link restore the same queue; anything else is refused, not stored.
 */
export const SAVED_VIEW_PARAMS = ['tab', 'kind', 'state', 'priority', 'channel', 'q', 'sort', 'livemode'] as const;
export type SavedViewQuery = Partial<Record<(typeof SAVED_VIEW_PARAMS)[number], string>>;
export const MAX_SAVED_VIEWS = 100;

export interface SavedViewView {
  id: string;
  name: string;
  query: SavedViewQuery;
  shared: boolean;
  owner: { id: string; displayName: string | null };
  /** Whether the asking agent may rename, share or delete it. */
  mine: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Who asks: views are per agent, and sharing with the team is a supervisor's. */
export interface ViewOwner {
  id: string;
  role: AgentRole;
}

export function toSavedViewView(entity: SavedViewEntity, ownerName: string | null, asker: ViewOwner): SavedViewView {
  return {
    id: entity.id,
    name: entity.name,
    query: entity.query,
    shared: entity.shared,
    owner: { id: entity.ownerId, displayName: ownerName },
    mine: entity.ownerId === asker.id,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}

export function mayShare(asker: ViewOwner): boolean {
  return asker.role === 'supervisor' || asker.role === 'admin';
}

export function sharingForbidden(): DomainError {
  return new DomainError(DomainErrorCode.Forbidden, 'Only supervisors share views with the team.');
}

export function savedViewNotFound(id: string): DomainError {
  return new DomainError(DomainErrorCode.SavedViewNotFound, `No saved view ${id} of yours.`, { viewId: id });
}

export function rethrowNameTaken(error: unknown, name: string): never {
  if (error instanceof UniqueConstraintViolationException) {
    throw new DomainError(DomainErrorCode.SavedViewNameTaken, `You have a view called "${name}" already.`, { name });
  }
  throw error;
}
