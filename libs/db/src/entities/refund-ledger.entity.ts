import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { RefundMismatchKind } from '@app/domain';

/**
 * One wallet transaction's refunds, across every case that names it (created when the first one
 * opens, from the wallet's transaction). Commands lock it (after their case) before a decision
 * commits money, so no combination of cases refunds more than was captured.
 */
@Entity({ tableName: 'refund_ledgers' })
export class RefundLedgerEntity {
  [OptionalProps]?: 'committedMinor' | 'refundedMinor' | 'createdAt' | 'updatedAt';

  /** Normalised (trimmed, upper case), as the cases store it. */
  @PrimaryKey({ type: 'text' })
  transactionRef!: string;

  @Property({ type: 'text' })
  currency!: string;

  /** What the wallet captured: no refunds beyond it. */
  @Property({ type: new BigIntType('number') })
  capturedMinor!: number;

  /** Decided by cases, not yet confirmed by the wallet (in flight, or failed and retryable). */
  @Property({ type: new BigIntType('number') })
  committedMinor: number = 0;

  /** Confirmed by the wallet (REFUND_SUCCEEDED). */
  @Property({ type: new BigIntType('number') })
  refundedMinor: number = 0;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}

/** A case's share of its transaction's ledger: what its open decision committed, and what it was paid. */
@Entity({ tableName: 'refund_ledger_shares' })
export class RefundLedgerShareEntity {
  [OptionalProps]?: 'committedMinor' | 'refundedMinor' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  caseId!: string;

  @Property({ type: 'text' })
  transactionRef!: string;

  @Property({ type: new BigIntType('number') })
  committedMinor: number = 0;

  @Property({ type: new BigIntType('number') })
  refundedMinor: number = 0;

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}

/**
 * What the reconciliation found when it compared our refunds with the wallet's. Findings are for
 * people: nothing moves money because of one. Resolved when a later pass no longer sees it.
 */
@Entity({ tableName: 'refund_mismatches' })
export class RefundMismatchEntity {
  [OptionalProps]?: 'resolvedAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  kind!: RefundMismatchKind;

  @Property({ type: 'text' })
  idempotencyKey!: string;

  @Property({ type: 'text', nullable: true })
  transactionRef!: string | null;

  @Property({ type: 'uuid', nullable: true })
  caseId!: string | null;

  @Property({ type: 'text', nullable: true })
  walletRefundId!: string | null;

  @Property({ type: 'text', nullable: true })
  walletStatus!: string | null;

  @Property({ type: new BigIntType('number'), nullable: true })
  walletAmountMinor!: number | null;

  @Property({ type: 'text', nullable: true })
  ourStatus!: string | null;

  @Property({ type: new BigIntType('number'), nullable: true })
  ourAmountMinor!: number | null;

  @Property({ type: 'text', nullable: true })
  currency!: string | null;

  @Property({ type: 'timestamptz' })
  firstSeenAt!: Date;

  @Property({ type: 'timestamptz' })
  lastSeenAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null = null;
}
