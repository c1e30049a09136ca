import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { CaseEntity, type OutboxEntity } from '@app/db';

/**
 * A `notify` outbox row addressed to the agents (a refund failed, fraud confirmed, the customer
 * could not be reached, …) lands in the agent inbox: the assignee's, or the supervisors' queue
 * when nobody holds the case. Once per outbox row, however often the effect runs (dedupe key).
 */
@Injectable()
export class NotifyAgents {
  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(row: OutboxEntity): Promise<boolean> {
    const audience = (row.payload.audience ?? []) as string[];
    if (!row.caseId || !audience.includes('agents')) return false;
    const em = this.em.fork();
    const theCase = await em.findOne(CaseEntity, { id: row.caseId }, { fields: ['id', 'subject', 'assignee', 'state', 'kind'] });
    if (!theCase) return false;
    const assigneeId = theCase.assignee?.id ?? null;
    const payload = { caseId: theCase.id, subject: theCase.subject, topic: row.payload.topic, caseKind: theCase.kind, caseState: row.payload.caseState ?? theCase.state };
    const inserted = await em.getConnection().execute<Array<{ id: string }>>(
      `insert into notifications (id, audience, recipient_agent_id, case_id, type, payload, dedupe_key, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (dedupe_key) do nothing returning id`,
      [randomUUID(), assigneeId ? 'agent' : 'supervisors', assigneeId, theCase.id, String(row.payload.topic), JSON.stringify(payload), `outbox-${row.id}`, this.clock.now()],
    );
    return inserted.length > 0;
  }
}
