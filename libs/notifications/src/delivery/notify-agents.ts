import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import type { OutboxRow } from '@app/db';
import type { CaseKind } from '@app/domain';

/** What the agents' side of a notify needs of the case, read once per notify with the other audiences'. */
export interface CaseForAgents {
  caseId: string;
  kind: CaseKind;
  state: string;
  subject: string;
  assigneeId: string | null;
}

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

  async execute(row: OutboxRow, target: CaseForAgents): Promise<boolean> {
    const audience = (row.payload.audience ?? []) as string[];
    if (!audience.includes('agents')) return false;
    const { caseId, assigneeId } = target;
    const payload = { caseId, subject: target.subject, topic: row.payload.topic, caseKind: target.kind, caseState: row.payload.caseState ?? target.state };
    const inserted = await this.em.getConnection().execute<Array<{ id: string }>>(
      `insert into notifications (id, audience, recipient_agent_id, case_id, type, payload, dedupe_key, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (dedupe_key) do nothing returning id`,
      [randomUUID(), assigneeId ? 'agent' : 'supervisors', assigneeId, caseId, String(row.payload.topic), JSON.stringify(payload), `outbox-${row.id}`, this.clock.now()],
    );
    return inserted.length > 0;
  }
}
