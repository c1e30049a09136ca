import { BigIntType, Entity, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { CaseKind, Channel, Priority } from '@app/domain';
import { AgentEntity } from './agent.entity';

@Entity({ tableName: 'cases' })
export class CaseEntity {
  [OptionalProps]?:
    | 'version'
    | 'createdAt'
    | 'updatedAt'
    | 'status'
    | 'description'
    | 'customerName'
    | 'merchantId'
    | 'transactionRef'
    | 'amountMinor'
    | 'currency'
    | 'assignee'
    | 'nextDeadlineAt'
    | 'slaPolicyId'
    | 'escalatedAt'
    | 'livemode'
    | 'testClockId';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  kind!: CaseKind;

  /** The machine version the case started on; it is driven by that version for life. */
  @Property({ type: 'integer' })
  machineVersion!: number;

  /** Dotted state path of the snapshot, kept beside it for filtering and indexes. */
  @Property({ type: 'text' })
  state!: string;

  @Property({ type: 'text' })
  status: 'active' | 'done' = 'active';

  @Property({ type: 'json' })
  snapshot!: Record<string, unknown>;

  /** The machine input the case was opened with; replaying the event log starts from it. */
  @Property({ type: 'json' })
  machineInput!: unknown;

  /** Optimistic lock: every update is `WHERE version = ?` and bumps it. */
  @Property({ type: 'integer', version: true })
  version: number = 1;

  @Property({ type: 'text' })
  priority!: Priority;

  @Property({ type: 'text' })
  channel!: Channel;

  @Property({ type: 'text' })
  subject!: string;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Property({ type: 'text' })
  customerId!: string;

  @Property({ type: 'text', nullable: true })
  customerName: string | null = null;

  @Property({ type: 'text', nullable: true })
  merchantId: string | null = null;

  @Property({ type: 'text', nullable: true })
  transactionRef: string | null = null;

  @Property({ type: new BigIntType('number'), nullable: true })
  amountMinor: number | null = null;

  @Property({ type: 'text', nullable: true })
  currency: string | null = null;

  @ManyToOne(() => AgentEntity, { nullable: true, deleteRule: 'set null' })
  assignee: AgentEntity | null = null;

  /** The SLA policy matched when the case opened (null: no policy applies). */
  @Property({ type: 'text', nullable: true })
  slaPolicyId: string | null = null;

  /** Set when an SLA breach moved the case to the supervisors' queue. */
  @Property({ type: 'timestamptz', nullable: true })
  escalatedAt: Date | null = null;

  /** Earliest pending deadline, kept in the same transaction as the deadlines, for queue sorting. */
  @Property({ type: 'timestamptz', nullable: true })
  nextDeadlineAt: Date | null = null;

  /** False for a test-mode case (opened with a merchant's test key): no real money moves for it. */
  @Property({ type: 'boolean' })
  livemode: boolean = true;

  /** The test clock whose frozen time is this test case's "now" (its deadlines fire when the clock is advanced). */
  @Property({ type: 'uuid', nullable: true })
  testClockId: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
