import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export type MessageParty = 'customer' | 'merchant';
export type MessageDirection = 'inbound' | 'outbound';
export type MessageLocale = 'zh-CN' | 'en';

/**
 * One message of a case's conversation with the customer or (disputes) the merchant. Kept apart
 * from the timeline: messages are correspondence, not state changes, and internal notes stay there.
 */
@Entity({ tableName: 'case_messages' })
export class CaseMessageEntity {
  [OptionalProps]?: 'createdAt' | 'macroId' | 'outboxId';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  caseId!: string;

  /** The other side of the conversation: the customer or the merchant. */
  @Property({ type: 'text' })
  party!: MessageParty;

  /** Inbound: the party wrote to us; outbound: an agent wrote to the party. */
  @Property({ type: 'text' })
  direction!: MessageDirection;

  @Property({ type: 'text' })
  authorKind!: 'agent' | 'customer' | 'merchant';

  /** Agent id, the case's customer id or the merchant id. */
  @Property({ type: 'text' })
  authorId!: string;

  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'text' })
  locale!: MessageLocale;

  /** The canned reply the agent started from; kept as a plain id so deleting the macro keeps history. */
  @Property({ type: 'uuid', nullable: true })
  macroId: string | null = null;

  /** The `notify` outbox row that carries an outbound message to its recipient. */
  @Property({ type: 'uuid', nullable: true })
  outboxId: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

export interface MacroTranslation {
  title: string;
  body: string;
}

/** A canned reply admins maintain, in every language the UI speaks. */
@Entity({ tableName: 'macros' })
export class MacroEntity {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'json' })
  translations!: Record<MessageLocale, MacroTranslation>;

  @Property({ type: 'uuid' })
  createdBy!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}
