import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { CaseEntity, NotificationEntity, type OutboxEntity } from '@app/db';
import type { NotifyEffect } from '@app/domain';

/**
 * A notification a machine marks as an alert (someone must act: a wallet action nobody confirmed,
 * a pending transaction that never settled) lands in the agent inbox: the assignee's, or the
 * supervisors' queue when nobody holds the case. Once per outbox row, however often the job runs.
 */
@Injectable()
export class AgentInboxAlerts {
  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async record(row: OutboxEntity): Promise<void> {
    const params = row.payload as unknown as NotifyEffect['params'];
    if (!params.alert || !params.audience.includes('agents') || !row.caseId) return;
    const em = this.em.fork();
    const theCase = await em.findOne(CaseEntity, { id: row.caseId }, { fields: ['subject', 'state', 'assignee'] });
    if (!theCase) return;
    const assigneeId = theCase.assignee?.id ?? null;
    await em
      .createQueryBuilder(NotificationEntity)
      .insert({
        id: randomUUID(),
        audience: assigneeId ? 'agent' : 'supervisors',
        recipientAgentId: assigneeId,
        caseId: row.caseId,
        type: params.topic,
        payload: { caseId: row.caseId, subject: theCase.subject, state: theCase.state, topic: params.topic },
        dedupeKey: `notify-${row.id}`,
        createdAt: this.clock.now(),
      })
      .onConflict('dedupe_key')
      .ignore()
      .execute();
  }
}
