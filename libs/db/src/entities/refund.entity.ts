import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** requested: not yet answered by the wallet; processing: the wallet took it, the money is on its way. */
export type RefundStatus = 'requested' | 'processing' | 'succeeded' | 'failed';

/**
 * One refund attempt sent to the wallet. The unique outbox id makes the attempt idempotent: a
 * redelivered job finds the row and neither pays nor reports twice. `idempotencyKey` is what the
 * wallet knows it by: its callbacks and our look-ups find the row with it.
 */
@Entity({ tableName: 'refunds' })
export class RefundEntity {
  [OptionalProps]?:
    'status' | 'createdAt' | 'gatewayRefundId' | 'failureReason' | 'settledAt' | 'idempotencyKey' | 'firstSentAt' | 'processingAt' | 'expectedArrivalAt' | 'lastCheckedAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  caseId!: string;

  @Property({ type: 'uuid', unique: true })
  outboxId!: string;

  @Property({ type: 'integer' })
  attempt!: number;

  @Property({ type: new BigIntType('number') })
  amountMinor!: number;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'text' })
  status: RefundStatus = 'requested';

  /** Our key for this refund at the wallet; null only on rows from before the wallet was remote. */
  @Property({ type: 'text', nullable: true, unique: true })
  idempotencyKey: string | null = null;

  /** The wallet's own refund id. */
  @Property({ type: 'text', nullable: true })
  gatewayRefundId: string | null = null;

  /** Set before the first request: a later try must look the refund up before asking again. */
  @Property({ type: 'timestamptz', nullable: true })
  firstSentAt: Date | null = null;

  /** When the wallet answered `processing`. */
  @Property({ type: 'timestamptz', nullable: true })
  processingAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  expectedArrivalAt: Date | null = null;

  /** The poller's last look-up of a refund still processing. */
  @Property({ type: 'timestamptz', nullable: true })
  lastCheckedAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  failureReason: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  settledAt: Date | null = null;
}
