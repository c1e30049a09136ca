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
 * What a replace changed, for an entry's details: `{ field: { from, to } }` for each of `fields`
 * whose value differs (compared as JSON). Only for values that are safe to keep for ever.
 */
export function changesBetween<T extends object>(before: T, after: T, fields: ReadonlyArray<keyof T & string>): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of fields) {
    if (canonicalJson(before[field]) !== canonicalJson(after[field])) changes[field] = { from: before[field] ?? null, to: after[field] ?? null };
  }
  return changes;
}

/** JSON with object keys sorted: a value read back from jsonb (keys reordered) equals the one written. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

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

  /**
   * The same entry as one insert, for a command that sends all its writes as one statement (a
   * case transition that decides a proposal: the case's writer, case-writes.ts, takes it as a part).
   */
  insertStatement(entry: AdminAuditRecord, at: Date): { sql: string; params: unknown[] } {
    return {
      sql: `insert into "admin_audit_log" ("actor_id", "actor_label", "action", "target_type", "target_id", "details", "created_at") values (?, ?, ?, ?, ?, ?, ?)`,
      params: [entry.actor.id, entry.actor.label, entry.action, entry.target.type, entry.target.id, JSON.stringify(entry.details ?? {}), at],
    };
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
