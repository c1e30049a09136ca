import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AttemptWebhookDelivery } from './delivery/attempt-webhook-delivery';
import { CreateWebhookDeliveries } from './delivery/create-webhook-deliveries';
import { DeliveryScheduler } from './delivery/delivery-scheduler';
import { ListWebhookDeliveries } from './delivery/list-webhook-deliveries';
import { ReplayWebhookDelivery } from './delivery/replay-webhook-delivery';
import { SendTestWebhookEvent } from './delivery/send-test-webhook-event';
import { WebhookDeliveryProcessor } from './delivery/webhook-delivery.processor';
import { WebhookSweeper } from './delivery/webhook-sweeper';
import { CreateWebhookEndpoint } from './endpoints/create-webhook-endpoint';
import { DeleteWebhookEndpoint } from './endpoints/delete-webhook-endpoint';
import { ListWebhookEndpoints } from './endpoints/list-webhook-endpoints';
import { RotateWebhookSecret } from './endpoints/rotate-webhook-secret';
import { UpdateWebhookEndpoint } from './endpoints/update-webhook-endpoint';
import { WebhookSecretBox, secretKeyOf } from './signing/webhook-secret-box';

const USE_CASES = [
  CreateWebhookEndpoint,
  ListWebhookEndpoints,
  UpdateWebhookEndpoint,
  RotateWebhookSecret,
  DeleteWebhookEndpoint,
  ListWebhookDeliveries,
  ReplayWebhookDelivery,
  SendTestWebhookEvent,
  CreateWebhookDeliveries,
];

/** Merchant webhook endpoints, deliveries and replay (API side). Needs QueuesModule. */
@Module({
  // The admin audit log records endpoints created, updated, rotated and deleted.
  imports: [AuditModule],
  providers: [
    { provide: WebhookSecretBox, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new WebhookSecretBox(config.webhooks.secretKeys.map(secretKeyOf)) },
    DeliveryScheduler,
    ...USE_CASES,
  ],
  exports: [WebhookSecretBox, DeliveryScheduler, ...USE_CASES],
})
export class WebhooksModule {}

/** The delivery worker and its sweeper; imported by the workers, never by a plain API process. */
@Module({
  imports: [WebhooksModule],
  providers: [AttemptWebhookDelivery, WebhookDeliveryProcessor, WebhookSweeper],
  exports: [WebhookSweeper],
})
export class WebhookWorkerModule {}
