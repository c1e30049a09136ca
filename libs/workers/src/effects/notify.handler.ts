import { Injectable, Logger } from '@nestjs/common';
import type { OutboxEntity } from '@app/db';
import { CreateWebhookDeliveries } from '@app/webhooks';
import { AgentInboxAlerts } from './agent-inbox-alert';
import type { EffectHandler } from './effect-handler';

/**
 * Notifications a machine asks for (`dispute.awaiting_merchant`, `dispute.resolved`, ...).
 * Merchant webhooks and, for alerts (someone must act), the agent inbox subscribe here; for the
 * rest the outbox row itself is the durable record and this handler acknowledges it in the
 * structured log.
 */
@Injectable()
export class NotifyHandler implements EffectHandler {
  readonly types = ['notify'] as const;
  private readonly logger = new Logger('Notify');

  constructor(
    private readonly webhookDeliveries: CreateWebhookDeliveries,
    private readonly alerts: AgentInboxAlerts,
  ) {}

  async handle(row: OutboxEntity): Promise<void> {
    this.logger.log(JSON.stringify({ event: 'notify', outboxId: row.id, caseId: row.caseId, ...row.payload }));
    // Merchant webhooks: one delivery per subscribed endpoint, idempotent by (outbox row, endpoint).
    await this.webhookDeliveries.execute(row);
    await this.alerts.record(row);
  }
}
