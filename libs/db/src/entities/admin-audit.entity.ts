import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One administrative action (who changed which role, revoked which key, revealed whose data).
 * Append-only: a trigger refuses UPDATE and DELETE, as on the case timeline.
 */
@Entity({ tableName: 'admin_audit_log' })
export class AdminAuditEntryEntity {
  [OptionalProps]?: 'id' | 'createdAt' | 'details';

  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  /** The agent who acted; null for the command line (db:create-admin). */
  @Property({ type: 'uuid', nullable: true })
  actorId!: string | null;

  /** Who acted, readable even after the agent is gone (their email, or `cli`). */
  @Property({ type: 'text' })
  actorLabel!: string;

  /** What was done, e.g. `agent.role_changed`, `agent.deactivated`. */
  @Property({ type: 'text' })
  action!: string;

  @Property({ type: 'text' })
  targetType!: string;

  @Property({ type: 'text' })
  targetId!: string;

  @Property({ type: 'json' })
  details: Record<string, unknown> = {};

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
