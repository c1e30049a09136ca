import { Injectable, Logger } from '@nestjs/common';
import type { OutboxEntity } from '@app/db';
import { CreateWebhookDeliveries } from '@app/webhooks';
import type { EffectHandler } from './effect-handler';

/**
 * Notifications a machine asks for (`dispute.awaiting_merchant`, `dispute.resolved`, ...).
 * Their delivery channels (agent inbox with reminders, merchant webhooks) are separate
 * capabilities; until they subscribe here, the outbox row itself is the durable record and this
 * handler acknowledges it in the structured log.
 */
@Injectable()
export class NotifyHandler implements EffectHandler {
  readonly types = ['notify'] as const;
  private readonly logger = new Logger('Notify');

  constructor(private readonly webhookDeliveries: CreateWebhookDeliveries) {}

  async handle(row: OutboxEntity): Promise<void> {
    this.logger.log(JSON.stringify({ event: 'notify', outboxId: row.id, caseId: row.caseId, ...row.payload }));
    // Merchant webhooks: one delivery per subscribed endpoint, idempotent by (outbox row, endpoint).
    await this.webhookDeliveries.execute(row);
  }
}
