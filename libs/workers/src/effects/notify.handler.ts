import { Injectable, Logger } from '@nestjs/common';
import type { OutboxEntity } from '@app/db';
import { CreateCustomerDeliveries, EmailAssignee, NotifyAgents } from '@app/notifications';
import { CreateWebhookDeliveries } from '@app/webhooks';
import type { EffectHandler } from './effect-handler';

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
    private readonly webhookDeliveries: CreateWebhookDeliveries,
    private readonly customerDeliveries: CreateCustomerDeliveries,
    private readonly agentInbox: NotifyAgents,
    private readonly assigneeEmail: EmailAssignee,
  ) {}

  async handle(row: OutboxEntity): Promise<void> {
    this.logger.log({ event: 'notify', outboxId: row.id, caseId: row.caseId, topic: row.payload.topic, audience: row.payload.audience });
    await this.webhookDeliveries.execute(row);
    await this.customerDeliveries.execute(row);
    await this.agentInbox.execute(row);
    await this.assigneeEmail.execute(row);
  }
}
