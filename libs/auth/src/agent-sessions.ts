import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { AgentEntity, AgentSessionEntity } from '@app/db';
import { DomainError, DomainErrorCode, type AgentRole } from '@app/domain';
import { PasswordHasher } from './password-hasher';

export interface AuthenticatedAgent {
  id: string;
  email: string;
  displayName: string;
  role: AgentRole;
  locale: 'zh-CN' | 'en';
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function toAuthenticatedAgent(agent: AgentEntity): AuthenticatedAgent {
  return { id: agent.id, email: agent.email, displayName: agent.displayName, role: agent.role, locale: agent.locale };
}

/** Opaque, revocable session tokens; the database holds only their hashes. */
@Injectable()
export class AgentSessions {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(email: string, password: string): Promise<{ token: string; expiresAt: Date; agent: AuthenticatedAgent }> {
    const em = this.em.fork();
    const agent = await em.findOne(AgentEntity, { email: email.trim().toLowerCase(), active: true });
    // Verify even when the agent is unknown, so response time does not reveal which emails exist.
    const valid = await this.hasher.verify(agent?.passwordHash ?? DUMMY_HASH, password);
    if (!agent || !valid) throw new DomainError(DomainErrorCode.InvalidCredentials, 'Email or password is wrong.');
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.auth.sessionTtlHours * 3600_000);
    em.create(AgentSessionEntity, { id: randomUUID(), agentId: agent.id, tokenHash: hashToken(token), createdAt: now, expiresAt });
    await em.flush();
    return { token, expiresAt, agent: toAuthenticatedAgent(agent) };
  }

  /** One indexed join per request: this runs on every authenticated call. */
  async resolve(token: string): Promise<AuthenticatedAgent | null> {
    const rows = await this.em
      .fork()
      .getConnection()
      .execute<Array<{ id: string; email: string; display_name: string; role: AgentRole; locale: 'zh-CN' | 'en' }>>(
        `select a.id, a.email, a.display_name, a.role, a.locale
           from agent_sessions s join agents a on a.id = s.agent_id
          where s.token_hash = ? and s.revoked_at is null and s.expires_at > ? and a.active`,
        [hashToken(token), this.clock.now()],
      );
    const row = rows[0];
    return row ? { id: row.id, email: row.email, displayName: row.display_name, role: row.role, locale: row.locale } : null;
  }

  async logout(token: string): Promise<void> {
    await this.em.fork().nativeUpdate(AgentSessionEntity, { tokenHash: hashToken(token), revokedAt: null }, { revokedAt: this.clock.now() });
  }
}

// argon2id hash of a random string nobody knows; used only to spend the same time on unknown emails.
const DUMMY_HASH = '$argon2id$v=19$m=65536,p=4,t=3$7X0D+uPhYg0nmZS56WqiZg$EP+N95tlU6Fh0zFecFjZeXqGfa2PXZ54Og0FiTHqw9I';
