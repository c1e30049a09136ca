import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AdminAuditEntryEntity } from '@app/db';

export interface AdminAuditActor {
  id: string | null;
  /** Readable after the agent is gone: their email, or `cli`. */
  label: string;
}

/** Who acts when a command-line tool (db:create-admin, db:seed) or a test does something administrative. */
export const COMMAND_LINE_ACTOR: AdminAuditActor = { id: null, label: 'cli' };

export interface AdminAuditRecord {
  actor: AdminAuditActor;
  action: string;
  target: { type: string; id: string };
  details?: Record<string, unknown>;
}

export interface AdminAuditEntry {
  id: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
  createdAt: string;
}

const MAX_PAGE = 200;

/**
 * The append-only log of administrative actions. `record` joins the caller's unit of work, so an
 * action and its audit entry commit together or not at all.
 */
@Injectable()
export class AdminAuditLog {
  constructor(private readonly em: EntityManager) {}

  record(em: EntityManager, entry: AdminAuditRecord, at: Date): void {
    em.create(AdminAuditEntryEntity, {
      actorId: entry.actor.id,
      actorLabel: entry.actor.label,
      action: entry.action,
      targetType: entry.target.type,
      targetId: entry.target.id,
      details: entry.details ?? {},
      createdAt: at,
    });
  }

  /** Newest first; `before` is the id of the last entry of the previous page. */
  async list(query: { before?: string; limit?: number; targetType?: string; targetId?: string }): Promise<{ data: AdminAuditEntry[]; nextBefore: string | null }> {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), MAX_PAGE);
    const where: Record<string, unknown> = {};
    if (query.before) where.id = { $lt: query.before };
    if (query.targetType) where.targetType = query.targetType;
    if (query.targetId) where.targetId = query.targetId;
    const rows = await this.em.fork().find(AdminAuditEntryEntity, where, { orderBy: { id: 'desc' }, limit: limit + 1 });
    const page = rows.slice(0, limit);
    return {
      data: page.map((row) => ({
        id: row.id,
        actorId: row.actorId,
        actorLabel: row.actorLabel,
        action: row.action,
        targetType: row.targetType,
        targetId: row.targetId,
        details: row.details,
        createdAt: row.createdAt.toISOString(),
      })),
      nextBefore: rows.length > limit ? page[page.length - 1]!.id : null,
    };
  }
}
