import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export type OutboxStatus = 'pending' | 'relayed' | 'done' | 'failed';

/**
 * A side effect committed with the transition that asked for it. The relay puts it on BullMQ after
 * commit (job id derived from the row id); the handler is idempotent by this id.
 */
@Entity({ tableName: 'outbox' })
export class OutboxEntity {
  [OptionalProps]?: 'status' | 'attempts' | 'createdAt' | 'lastError' | 'relayedAt' | 'doneAt' | 'relays' | 'requestId';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid', nullable: true })
  caseId: string | null = null;

  /** The effect type, e.g. `requestRefund`, `notify`. */
  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: 'text' })
  status: OutboxStatus = 'pending';

  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  relayedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  doneAt: Date | null = null;

  /** How often the reconciler put the row back on BullMQ; at OUTBOX_MAX_RELAYS it is marked failed. */
  @Property({ type: 'integer' })
  relays: number = 0;

  /** The request that caused the row (directly, or through the jobs it caused); its jobs carry it on. */
  @Property({ type: 'text', nullable: true })
  requestId: string | null = null;
}

/** What an effect handler reads of its outbox row: a plain read, not an entity the ORM manages. */
export type OutboxRow = Pick<OutboxEntity, 'id' | 'caseId' | 'type' | 'payload' | 'createdAt'>;
