import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { AgentEntity, NotificationDeliveryEntity, type OutboxRow } from '@app/db';
import { maskEmail } from '@app/domain';
import { EmailChannel } from '../channels/email-channel';
import { AGENT_TEMPLATES } from '../templates/catalogue';
import { renderAgentMessage } from '../templates/render';
import { caseNumberOf } from './message-values';
import { NotificationScheduler } from './notification-scheduler';

/** What the assignee's side of a notify needs of the case, read once per notify with the other audiences'. */
export interface CaseForAssignee {
  caseId: string;
  subject: string;
}

/**
 * A `notify` row addressed to the case's assignee (an SLA breach) becomes one email to that agent,
 * in their language, once per row (the same deliveries table and worker as customer messages).
 */
@Injectable()
export class EmailAssignee {
  constructor(
    private readonly em: EntityManager,
    private readonly scheduler: NotificationScheduler,
    private readonly email: EmailChannel,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(row: OutboxRow, target: CaseForAssignee): Promise<boolean> {
    const topic = String(row.payload.topic ?? '');
    const audience = (row.payload.audience ?? []) as string[];
    const agentId = typeof row.payload.assigneeId === 'string' ? row.payload.assigneeId : null;
    if (!agentId || !audience.includes('assignee') || !AGENT_TEMPLATES[topic] || !this.email.configured) return false;
    const em = this.em.fork();
    const agent = await em.findOne(AgentEntity, { id: agentId });
    if (!agent?.active) return false;
    const message = renderAgentMessage(topic, agent.locale, { caseNumber: caseNumberOf(target.caseId), subject: target.subject, target: String(row.payload.target ?? 'other') });
    const now = this.clock.now();
    await em.getConnection().execute(
      `insert into notification_deliveries (id, outbox_id, case_id, recipient_agent_id, channel, topic, locale, recipient_masked, title, body, created_at, updated_at)
       values (?, ?, ?, ?, 'email', ?, ?, ?, ?, ?, ?, ?) on conflict (outbox_id, channel) do nothing`,
      [randomUUID(), row.id, target.caseId, agent.id, topic, agent.locale, maskEmail(agent.email), message.title, message.body, now, now],
    );
    await this.scheduler.schedule(await em.find(NotificationDeliveryEntity, { outboxId: row.id, status: 'pending' }, { fields: ['id', 'notBefore'] }));
    return true;
  }
}
