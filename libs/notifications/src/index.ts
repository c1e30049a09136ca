export { NotificationsModule } from './notifications.module';
export { CreateCustomerDeliveries } from './delivery/create-customer-deliveries';
export { NotifyAgents } from './delivery/notify-agents';
export { NotificationScheduler } from './delivery/notification-scheduler';
export { caseNumberOf } from './delivery/message-values';
export { CUSTOMER_TEMPLATES, type CustomerTemplate, type LocalizedMessage } from './templates/catalogue';
export { customerTopics, missingCustomerTemplates } from './templates/catalogue-check';
export { formatYuan, renderCustomerMessage } from './templates/render';
export { smsNotBefore } from './quiet-hours';
