import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export type WebhookEndpointStatus = 'enabled' | 'disabled' | 'deleted';
export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed';

@Entity({ tableName: 'webhook_endpoints' })
export class WebhookEndpointEntity {
  [OptionalProps]?: 'description' | 'status' | 'disabledReason' | 'failingSince' | 'createdAt' | 'updatedAt' | 'previousSecret' | 'previousSecretExpiresAt' | 'livemode';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  merchantId!: string;

  @Property({ type: 'text' })
  url!: string;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Property({ type: 'json' })
  events!: string[];

  /** A test-mode endpoint (made with a test key) receives only test cases' events, a live one only live ones. */
  @Property({ type: 'boolean' })
  livemode: boolean = true;

  /**
   * `whsec_…`: the signing key. Kept readable because every delivery is signed with it; shown to
   * the merchant once, at creation.
   */
  @Property({ type: 'text', hidden: true })
  secret!: string;

  /** The secret the last rotation replaced (sealed like `secret`): it signs too until it expires. */
  @Property({ type: 'text', hidden: true, nullable: true })
  previousSecret: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null = null;

  @Property({ type: 'text' })
  status: WebhookEndpointStatus = 'enabled';

  @Property({ type: 'text', nullable: true })
  disabledReason: string | null = null;

  /** First failure since the last success; cleared by a success. */
  @Property({ type: 'timestamptz', nullable: true })
  failingSince: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}

/**
 * One event for one endpoint, unique per (outbox row, endpoint): however often the notify effect
 * runs, a merchant's endpoint gets each event once. `body` is frozen at creation so every attempt
 * and replay signs and sends the same bytes under the same webhook-id.
 */
@Entity({ tableName: 'webhook_deliveries' })
export class WebhookDeliveryEntity {
  [OptionalProps]?: 'caseId' | 'outboxId' | 'status' | 'generation' | 'attempts' | 'nextAttemptAt' | 'lastStatusCode' | 'lastError' | 'createdAt' | 'updatedAt' | 'succeededAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  endpointId!: string;

  @Property({ type: 'text' })
  merchantId!: string;

  /** Null for a test event (sent on request, not caused by a case). */
  @Property({ type: 'uuid', nullable: true })
  outboxId: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  caseId: string | null = null;

  @Property({ type: 'text' })
  eventId!: string;

  @Property({ type: 'text' })
  eventType!: string;

  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'text' })
  status: WebhookDeliveryStatus = 'pending';

  /** Bumped by each replay; job ids carry it so an old generation's jobs are recognised as stale. */
  @Property({ type: 'integer' })
  generation: number = 0;

  /** Attempts in the current generation. */
  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null = null;

  @Property({ type: 'integer', nullable: true })
  lastStatusCode: number | null = null;

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  succeededAt: Date | null = null;
}

/** Every HTTP attempt, successful or not: what merchants and support look at when a webhook "never arrived". */
@Entity({ tableName: 'webhook_attempts' })
export class WebhookAttemptEntity {
  [OptionalProps]?: 'statusCode' | 'error' | 'responseExcerpt';

  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @Property({ type: 'uuid' })
  deliveryId!: string;

  @Property({ type: 'integer' })
  generation!: number;

  @Property({ type: 'integer' })
  attempt!: number;

  @Property({ type: 'timestamptz' })
  attemptedAt!: Date;

  @Property({ type: 'integer' })
  durationMs!: number;

  @Property({ type: 'integer', nullable: true })
  statusCode: number | null = null;

  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Property({ type: 'text', nullable: true })
  responseExcerpt: string | null = null;
}
