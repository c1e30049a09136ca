import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** A merchant that answers disputes through the merchant API. Its id is the id cases store. */
@Entity({ tableName: 'merchants' })
export class MerchantEntity {
  [OptionalProps]?: 'active' | 'createdAt';

  @PrimaryKey({ type: 'text' })
  id!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'boolean' })
  active: boolean = true;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

export type ApiKeyKind = 'secret' | 'restricted';

/** An API key: the database holds its SHA-256 and a visible prefix, never the key itself. */
@Entity({ tableName: 'merchant_api_keys' })
export class MerchantApiKeyEntity {
  [OptionalProps]?: 'name' | 'createdBy' | 'createdAt' | 'lastUsedAt' | 'revokedAt' | 'livemode';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  merchantId!: string;

  @Property({ type: 'text' })
  kind!: ApiKeyKind;

  @Property({ type: 'text', nullable: true })
  name: string | null = null;

  /** A test key (`sk_test_`, `rk_test_`) sees and makes only test-mode data. */
  @Property({ type: 'boolean' })
  livemode: boolean = true;

  @Property({ type: 'text' })
  prefix!: string;

  @Property({ type: 'text', unique: true, hidden: true })
  keyHash!: string;

  @Property({ type: 'uuid', nullable: true })
  createdBy: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;
}

/**
 * A merchant's own refund policy for refund requests (admins set it; absent: the global policy).
 * A case copies the policy it opened under, so changing or removing this row never alters one in flight.
 */
@Entity({ tableName: 'merchant_refund_policies' })
export class MerchantRefundPolicyEntity {
  [OptionalProps]?: 'updatedAt';

  @PrimaryKey({ type: 'text' })
  merchantId!: string;

  @Property({ type: 'integer' })
  refundWindowDays!: number;

  @Property({ type: 'boolean' })
  partialRefundsAllowed!: boolean;

  /** Kept back from every refund, in the purchase currency's minor units. */
  @Property({ type: new BigIntType('number') })
  nonRefundableFeeMinor!: number;

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}

export type TestClockStatus = 'ready' | 'advancing';

/**
 * A merchant's test clock (Stripe's): frozen time that moves only when the merchant advances it.
 * Test cases opened on it take it as their "now", and their deadlines fire as it passes them.
 */
@Entity({ tableName: 'test_clocks' })
export class TestClockEntity {
  [OptionalProps]?: 'name' | 'status' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  merchantId!: string;

  @Property({ type: 'text', nullable: true })
  name: string | null = null;

  @Property({ type: 'timestamptz' })
  frozenTime!: Date;

  @Property({ type: 'text' })
  status: TestClockStatus = 'ready';

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}
