import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import type { OutboxRow } from '@app/db';
import { CreateCustomerDeliveries, EmailAssignee, NotifyAgents } from '@app/notifications';
import { CreateWebhookDeliveries } from '@app/webhooks';
import type { EffectHandler } from './effect-handler';
import { readNotifyTarget } from './notify-target';

/**
 * Notifications a machine (or the engine) asks for (`dispute.awaiting_merchant`, `case.opened`,
 * ...), fanned out by audience: merchant webhooks, customer deliveries (email, push, SMS), the
 * agent inbox and the assignee's email. Each is idempotent by the outbox row, so the effect may run again safely.
 */
@Injectable()
export class NotifyHandler implements EffectHandler {
  readonly types = ['notify'] as const;
  private readonly logger = new Logger('Notify');

  constructor(
    private readonly em: EntityManager,
    private readonly webhookDeliveries: CreateWebhookDeliveries,
    private readonly customerDeliveries: CreateCustomerDeliveries,
    private readonly agentInbox: NotifyAgents,
    private readonly assigneeEmail: EmailAssignee,
  ) {}

  async handle(row: OutboxRow): Promise<void> {
    // Every audience is about a case; the case is read once for all of them.
    const target = row.caseId ? await readNotifyTarget(this.em, row.id, row.caseId) : null;
    const told = target
      ? {
          webhookEndpoints: await this.webhookDeliveries.execute(row, target),
          customerDeliveries: await this.customerDeliveries.execute(row, target),
          agentInbox: await this.agentInbox.execute(row, target),
          assigneeEmail: await this.assigneeEmail.execute(row, target),
        }
      : null;
    // A line for what went out; a notify with nobody to tell (most of them) is already logged as the effect job's line.
    const line = { event: 'notify', outboxId: row.id, caseId: row.caseId, topic: row.payload.topic, audience: row.payload.audience, ...told };
    if (told && Object.values(told).some(Boolean)) this.logger.log(line);
    else this.logger.debug(line);
  }
}
