import { AgentEntity, AgentSessionEntity } from './agent.entity';
import { CaseEventEntity } from './case-event.entity';
import { CaseEntity } from './case.entity';
import { DeadlineEntity } from './deadline.entity';
import { OutboxEntity } from './outbox.entity';
import { RefundEntity } from './refund.entity';
import { BusinessCalendarEntity, NotificationEntity, SlaClockEntity, SlaPolicyEntity } from './sla.entity';
import { MerchantApiKeyEntity, MerchantEntity } from './merchant.entity';
import { EvidenceFileEntity, EvidenceSubmissionEntity } from './evidence.entity';
import { ContactRevealEntity, CustomerContactEntity, NotificationDeliveryEntity } from './customer-notification.entity';
import { WebhookAttemptEntity, WebhookDeliveryEntity, WebhookEndpointEntity } from './webhook.entity';

export { AgentEntity, AgentSessionEntity, CaseEventEntity, CaseEntity, DeadlineEntity, OutboxEntity, RefundEntity };
export { BusinessCalendarEntity, NotificationEntity, SlaClockEntity, SlaPolicyEntity };
export type { SlaClockStatus } from './sla.entity';
export { MerchantApiKeyEntity, MerchantEntity, EvidenceFileEntity, EvidenceSubmissionEntity, WebhookAttemptEntity, WebhookDeliveryEntity, WebhookEndpointEntity };
export type { ApiKeyKind } from './merchant.entity';
export type { EvidenceSubmissionStatus } from './evidence.entity';
export type { WebhookDeliveryStatus, WebhookEndpointStatus } from './webhook.entity';
export { ContactRevealEntity, CustomerContactEntity, NotificationDeliveryEntity };
export type { NotificationDeliveryStatus } from './customer-notification.entity';
export type { DeadlineStatus } from './deadline.entity';
export type { OutboxStatus } from './outbox.entity';
export type { RefundStatus } from './refund.entity';

export const ENTITIES = [AgentEntity, AgentSessionEntity, CaseEntity, CaseEventEntity, DeadlineEntity, OutboxEntity, RefundEntity, BusinessCalendarEntity, SlaPolicyEntity, SlaClockEntity, NotificationEntity, MerchantEntity, MerchantApiKeyEntity, EvidenceSubmissionEntity, EvidenceFileEntity, WebhookEndpointEntity, WebhookDeliveryEntity, WebhookAttemptEntity, CustomerContactEntity, ContactRevealEntity, NotificationDeliveryEntity];
