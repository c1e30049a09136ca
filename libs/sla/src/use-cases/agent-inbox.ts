import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { NotificationEntity } from '@app/db';
import { DomainError, DomainErrorCode, type AgentRole } from '@app/domain';

export interface InboxReader {
  id: string;
  role: AgentRole;
}

/** What an agent sees: their own notifications, and the supervisors' queue for supervisors and admins. */
function visibleTo(reader: InboxReader) {
  return reader.role === 'agent' ? { recipientAgentId: reader.id } : { $or: [{ recipientAgentId: reader.id }, { audience: 'supervisors' as const }] };
}

@Injectable()
export class ListNotifications {
  constructor(private readonly em: EntityManager) {}

  async execute(reader: InboxReader, options: { unreadOnly?: boolean; limit?: number } = {}) {
    const rows = await this.em
      .fork()
      .find(
        NotificationEntity,
        { ...visibleTo(reader), ...(options.unreadOnly ? { readAt: null } : {}) },
        { orderBy: { createdAt: 'desc' }, limit: Math.min(Math.max(options.limit ?? 50, 1), 200) },
      );
    return rows.map((row) => ({
      id: row.id,
      audience: row.audience,
      type: row.type,
      caseId: row.caseId,
      payload: row.payload,
      createdAt: row.createdAt.toISOString(),
      readAt: row.readAt?.toISOString() ?? null,
    }));
  }
}

/** The number on the inbox bell: what the reader has not read yet, counted in the database, not paged. */
@Injectable()
export class CountUnreadNotifications {
  constructor(private readonly em: EntityManager) {}

  async execute(reader: InboxReader): Promise<{ unread: number }> {
    return { unread: await this.em.fork().count(NotificationEntity, { ...visibleTo(reader), readAt: null }) };
  }
}

@Injectable()
export class MarkNotificationRead {
  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(reader: InboxReader, id: string): Promise<void> {
    const em = this.em.fork();
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await em.findOne(NotificationEntity, { id, ...visibleTo(reader) }) : null;
    if (!row) throw new DomainError(DomainErrorCode.NotFound, `No notification ${id}.`);
    row.readAt ??= this.clock.now();
    await em.flush();
  }
}
