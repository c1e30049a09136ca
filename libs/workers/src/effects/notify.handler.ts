import { Injectable, Logger } from '@nestjs/common';
import type { OutboxRow } from '@app/db';
import { CreateCustomerDeliveries, EmailAssignee, NotifyAgents } from '@app/notifications';
import { CreateWebhookDeliveries } from '@app/webhooks';
import type { EffectHandler } from './effect-handler';
import { NOTIFY_TARGET_COLUMNS, notifyTargetOf } from './notify-target';

/**
 * Notifications a machine (or the engine) asks for (`dispute.awaiting_merchant`, `case.opened`,
 * ...), fanned out by audience: merchant webhooks, customer deliveries (email, push, SMS), the
 * agent inbox and the assignee's email. Each is idempotent by the outbox row, so the effect may run again safely.
 */
@Injectable()
export class NotifyHandler implements EffectHandler {
  readonly types = ['notify'] as const;
  readonly caseColumns = NOTIFY_TARGET_COLUMNS;
  private readonly logger = new Logger('Notify');

  constructor(
    private readonly webhookDeliveries: CreateWebhookDeliveries,
    private readonly customerDeliveries: CreateCustomerDeliveries,
    private readonly agentInbox: NotifyAgents,
    private readonly assigneeEmail: EmailAssignee,
  ) {}

  async handle(row: OutboxRow, read: Record<string, unknown>): Promise<void> {
    // Every audience is about a case; the case is read once for all of them, by the runner with the row.
    const target = row.caseId ? notifyTargetOf(read) : null;
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
