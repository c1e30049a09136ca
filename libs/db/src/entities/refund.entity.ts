import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export type RefundStatus = 'requested' | 'succeeded' | 'failed';

/**
 * One refund attempt sent to the payment gateway. The unique outbox id makes the attempt
 * idempotent: a redelivered job finds the row and neither pays nor reports twice.
 */
@Entity({ tableName: 'refunds' })
export class RefundEntity {
  [OptionalProps]?: 'status' | 'createdAt' | 'gatewayRefundId' | 'failureReason' | 'settledAt';

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

  @Property({ type: 'text', nullable: true })
  gatewayRefundId: string | null = null;

  @Property({ type: 'text', nullable: true })
  failureReason: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  settledAt: Date | null = null;
}
