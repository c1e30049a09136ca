import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { CustomerChannel, CustomerLocale } from '@app/domain';

/**
 * How a case reaches its customer. Phone, address and openid are personal data: stored sealed
 * (AES-256-GCM under PII_KEYS) with a masked copy for every view; only an audited reveal opens them.
 */
@Entity({ tableName: 'case_customer_contacts' })
export class CustomerContactEntity {
  [OptionalProps]?: 'phoneSealed' | 'phoneMasked' | 'emailSealed' | 'emailMasked' | 'wechatOpenIdSealed' | 'wechatOpenIdMasked';

  @PrimaryKey({ type: 'uuid' })
  caseId!: string;

  @Property({ type: 'text' })
  locale!: CustomerLocale;

  @Property({ type: 'boolean' })
  pushEnabled!: boolean;

  @Property({ type: 'text', nullable: true })
  phoneSealed: string | null = null;

  @Property({ type: 'text', nullable: true })
  phoneMasked: string | null = null;

  @Property({ type: 'text', nullable: true })
  emailSealed: string | null = null;

  @Property({ type: 'text', nullable: true })
  emailMasked: string | null = null;

  @Property({ type: 'text', nullable: true })
  wechatOpenIdSealed: string | null = null;

  @Property({ type: 'text', nullable: true })
  wechatOpenIdMasked: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;
}

/** One agent's look at a customer's contact details in full: who, when, which case, which fields. */
@Entity({ tableName: 'customer_contact_reveals' })
export class ContactRevealEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  caseId!: string;

  @Property({ type: 'uuid' })
  agentId!: string;

  @Property({ type: 'json' })
  fields!: string[];

  @Property({ type: 'timestamptz' })
  createdAt!: Date;
}

export type NotificationDeliveryStatus = 'pending' | 'sent' | 'delivered' | 'failed';

/**
 * One customer notification on one channel, created once per (outbox row, channel) with its text
 * rendered and frozen. `sent`: the channel's provider accepted it; `failed`: retries ran out or
 * the provider refused it for good (lastError says why).
 */
@Entity({ tableName: 'notification_deliveries' })
export class NotificationDeliveryEntity {
  [OptionalProps]?: 'status' | 'attempts' | 'notBefore' | 'lastError' | 'providerRef' | 'sentAt' | 'recipientMasked' | 'caseId' | 'recipientAgentId';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  outboxId!: string;

  @Property({ type: 'uuid', nullable: true })
  caseId: string | null = null;

  /** Set when the message is for an agent (an email about an SLA breach) rather than the customer. */
  @Property({ type: 'uuid', nullable: true })
  recipientAgentId: string | null = null;

  @Property({ type: 'text' })
  channel!: CustomerChannel;

  @Property({ type: 'text' })
  topic!: string;

  @Property({ type: 'text' })
  locale!: CustomerLocale;

  @Property({ type: 'text', nullable: true })
  recipientMasked: string | null = null;

  @Property({ type: 'text' })
  title!: string;

  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'text' })
  status: NotificationDeliveryStatus = 'pending';

  @Property({ type: 'integer' })
  attempts: number = 0;

  /** SMS quiet hours: not sent before this instant. */
  @Property({ type: 'timestamptz', nullable: true })
  notBefore: Date | null = null;

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  /** The provider's id for it (SMTP message id, the wallet's notification_id). */
  @Property({ type: 'text', nullable: true })
  providerRef: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  sentAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
