import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export type WalletAccountActionKind = 'freeze' | 'unfreeze' | 'credential_reset' | 'balance_correction';
export type WalletAccountActionStatus = 'requested' | 'processing' | 'completed' | 'failed';

/**
 * One account action sent to the wallet (freeze, unfreeze, credential reset, balance correction).
 * Unique per outbox row; the wallet confirms it later by a callback carrying our key, which is how
 * the callback finds its case.
 */
@Entity({ tableName: 'wallet_account_actions' })
export class WalletAccountActionEntity {
  [OptionalProps]?: 'status' | 'createdAt' | 'walletActionId' | 'ledgerEntryRef' | 'completedAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  caseId!: string;

  @Property({ type: 'uuid', unique: true })
  outboxId!: string;

  @Property({ type: 'text', unique: true })
  idempotencyKey!: string;

  @Property({ type: 'text' })
  kind!: WalletAccountActionKind;

  @Property({ type: 'text' })
  accountId!: string;

  @Property({ type: 'text', nullable: true })
  walletActionId: string | null = null;

  @Property({ type: 'text' })
  status: WalletAccountActionStatus = 'requested';

  /** A posted balance correction's entry in the wallet's ledger. */
  @Property({ type: 'text', nullable: true })
  ledgerEntryRef: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  completedAt: Date | null = null;
}

/** A callback from the wallet, by its event id: a repeated delivery is recognised and not applied again. */
@Entity({ tableName: 'wallet_events_received' })
export class WalletEventReceivedEntity {
  [OptionalProps]?: 'receivedAt' | 'caseId';

  @PrimaryKey({ type: 'text' })
  eventId!: string;

  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'text' })
  idempotencyKey!: string;

  @Property({ type: 'uuid', nullable: true })
  caseId: string | null = null;

  /** false: recorded, but the case's machine did not accept it (or it was settled already). */
  @Property({ type: 'boolean' })
  applied!: boolean;

  @Property({ type: 'timestamptz' })
  receivedAt: Date = new Date();
}
