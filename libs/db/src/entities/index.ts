import { AdminAuditEntryEntity } from './admin-audit.entity';
import { AgentEntity, AgentRecoveryCodeEntity, AgentSessionEntity } from './agent.entity';
import { CaseEventEntity } from './case-event.entity';
import { CaseEntity } from './case.entity';
import { DeadlineEntity } from './deadline.entity';
import { OutboxEntity } from './outbox.entity';
import { RefundEntity } from './refund.entity';
import { RefundLedgerEntity, RefundLedgerShareEntity, RefundMismatchEntity } from './refund-ledger.entity';
import { BusinessCalendarEntity, NotificationEntity, SlaClockEntity, SlaPolicyEntity } from './sla.entity';
import { MerchantApiKeyEntity, MerchantEntity, MerchantRefundPolicyEntity, TestClockEntity } from './merchant.entity';
import { EvidenceFileEntity, EvidenceSubmissionEntity } from './evidence.entity';
import { WalletAccountActionEntity, WalletEventReceivedEntity } from './wallet.entity';
import { ContactRevealEntity, CustomerContactEntity, NotificationDeliveryEntity } from './customer-notification.entity';
import { WebhookAttemptEntity, WebhookDeliveryEntity, WebhookEndpointEntity } from './webhook.entity';
import { CaseRatingEntity } from './case-rating.entity';
import { CaseMessageEntity, MacroEntity } from './conversation.entity';
import { CaseLinkEntity, SavedViewEntity } from './queue-work.entity';

export { AdminAuditEntryEntity, AgentEntity, AgentRecoveryCodeEntity, AgentSessionEntity, CaseEventEntity, CaseEntity, DeadlineEntity, OutboxEntity, RefundEntity };
export { BusinessCalendarEntity, NotificationEntity, SlaClockEntity, SlaPolicyEntity };
export type { SlaClockStatus } from './sla.entity';
export {
  MerchantApiKeyEntity,
  MerchantEntity,
  MerchantRefundPolicyEntity,
  TestClockEntity,
  EvidenceFileEntity,
  EvidenceSubmissionEntity,
  WebhookAttemptEntity,
  WebhookDeliveryEntity,
  WebhookEndpointEntity,
};
export type { ApiKeyKind, TestClockStatus } from './merchant.entity';
export { CaseRatingEntity };
export type { EvidenceParty, EvidenceSubmissionStatus } from './evidence.entity';
export type { WebhookDeliveryStatus, WebhookEndpointStatus } from './webhook.entity';
export { WalletAccountActionEntity, WalletEventReceivedEntity };
export type { WalletAccountActionKind, WalletAccountActionStatus } from './wallet.entity';
export { ContactRevealEntity, CustomerContactEntity, NotificationDeliveryEntity };
export type { NotificationDeliveryStatus } from './customer-notification.entity';
export type { DeadlineStatus } from './deadline.entity';
export type { OutboxRow, OutboxStatus } from './outbox.entity';
export { CaseMessageEntity, MacroEntity };
export type { MacroTranslation, MessageDirection, MessageLocale, MessageParty } from './conversation.entity';
export type { RefundStatus } from './refund.entity';
export { RefundLedgerEntity, RefundLedgerShareEntity, RefundMismatchEntity };
export { CaseLinkEntity, SavedViewEntity };
export type { CaseLinkKind } from './queue-work.entity';

export const ENTITIES = [
  AdminAuditEntryEntity,
  AgentEntity,
  AgentRecoveryCodeEntity,
  AgentSessionEntity,
  CaseEntity,
  CaseEventEntity,
  DeadlineEntity,
  OutboxEntity,
  RefundEntity,
  BusinessCalendarEntity,
  SlaPolicyEntity,
  SlaClockEntity,
  NotificationEntity,
  MerchantEntity,
  MerchantApiKeyEntity,
  MerchantRefundPolicyEntity,
  TestClockEntity,
  EvidenceSubmissionEntity,
  EvidenceFileEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
  WebhookAttemptEntity,
  CaseMessageEntity,
  MacroEntity,
  CaseRatingEntity,
  WalletAccountActionEntity,
  WalletEventReceivedEntity,
  RefundLedgerEntity,
  RefundLedgerShareEntity,
  RefundMismatchEntity,
  CustomerContactEntity,
  ContactRevealEntity,
  NotificationDeliveryEntity,
  SavedViewEntity,
  CaseLinkEntity,
];
