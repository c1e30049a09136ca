import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { AgentRole } from '@app/domain';

@Entity({ tableName: 'agents' })
export class AgentEntity {
  [OptionalProps]?:
    'createdAt' | 'active' | 'locale' | 'passwordChangedAt' | 'deactivatedAt' | 'totpSecretSealed' | 'totpPendingSecretSealed' | 'totpEnabledAt' | 'totpLastStep' | 'lastLoginAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  /** Stored lower-cased; unique. */
  @Property({ type: 'text', unique: true })
  email!: string;

  @Property({ type: 'text' })
  displayName!: string;

  @Property({ type: 'text' })
  role!: AgentRole;

  /** argon2id hash, never the password. */
  @Property({ type: 'text', hidden: true })
  passwordHash!: string;

  @Property({ type: 'text' })
  locale: 'zh-CN' | 'en' = 'zh-CN';

  @Property({ type: 'boolean' })
  active: boolean = true;

  @Property({ type: 'timestamptz', nullable: true })
  passwordChangedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  deactivatedAt: Date | null = null;

  /** The TOTP seed, sealed (SecretBox, TOTP_SECRET_KEYS); set once enrolment is confirmed with a code. */
  @Property({ type: 'text', nullable: true, hidden: true })
  totpSecretSealed: string | null = null;

  /** A seed handed out for enrolment and not yet confirmed. */
  @Property({ type: 'text', nullable: true, hidden: true })
  totpPendingSecretSealed: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  totpEnabledAt: Date | null = null;

  /** The 30-second step of the last code accepted: a code is never accepted twice. */
  @Property({ type: 'bigint', nullable: true })
  totpLastStep: string | null = null;

  /** Set by each successful login. */
  @Property({ type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

@Entity({ tableName: 'agent_sessions' })
export class AgentSessionEntity {
  [OptionalProps]?: 'createdAt' | 'lastSeenAt' | 'revokedAt' | 'revokedReason';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  agentId!: string;

  /** SHA-256 of the bearer token: a database leak does not leak usable sessions. */
  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  /** Why it ended early: logout, deactivated, password_changed, password_reset. */
  @Property({ type: 'text', nullable: true })
  revokedReason: string | null = null;

  /** Touched at most once a minute by the requests that use it; the idle timeout counts from here. */
  @Property({ type: 'timestamptz' })
  lastSeenAt: Date = new Date();
}

@Entity({ tableName: 'agent_recovery_codes' })
export class AgentRecoveryCodeEntity {
  [OptionalProps]?: 'createdAt' | 'usedAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  agentId!: string;

  /** SHA-256 of the code: the codes are random and long, so a fast hash is enough. */
  @Property({ type: 'text' })
  codeHash!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  usedAt: Date | null = null;
}
