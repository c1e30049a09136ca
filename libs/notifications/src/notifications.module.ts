import { Module, type OnModuleInit } from '@nestjs/common';
import { CasesModule } from '@app/cases';
import { EmailChannel } from './channels/email-channel';
import { WalletNotificationChannel } from './channels/wallet-notification-channel';
import { WechatChannel } from './channels/wechat-channel';
import { CreateCustomerDeliveries } from './delivery/create-customer-deliveries';
import { DeliverNotification } from './delivery/deliver-notification';
import { NotificationDeliveryProcessor } from './delivery/notification-delivery.processor';
import { NotificationScheduler } from './delivery/notification-scheduler';
import { EmailAssignee } from './delivery/email-assignee';
import { NotifyAgents } from './delivery/notify-agents';
import { missingCustomerTemplates } from './templates/catalogue-check';

/**
 * Customer notifications (email, app push, SMS, WeChat) and agent-inbox notifications from `notify`
 * effects, with the delivery worker. Imported by the workers; needs QueuesModule and ConfigModule.
 */
@Module({
  imports: [CasesModule],
  providers: [
    EmailChannel,
    WalletNotificationChannel,
    WechatChannel,
    NotificationScheduler,
    CreateCustomerDeliveries,
    DeliverNotification,
    NotifyAgents,
    EmailAssignee,
    NotificationDeliveryProcessor,
  ],
  exports: [CreateCustomerDeliveries, NotifyAgents, EmailAssignee, NotificationScheduler],
})
export class NotificationsModule implements OnModuleInit {
  /** Fail at boot, not when a customer waits: every topic a customer can be sent needs its template. */
  onModuleInit(): void {
    const missing = missingCustomerTemplates();
    if (missing.length) throw new Error(`No customer notification template for topics: ${missing.join(', ')}`);
  }
}
