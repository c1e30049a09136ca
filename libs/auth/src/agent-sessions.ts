import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { AgentEntity, AgentSessionEntity } from '@app/db';
import { DomainError, DomainErrorCode, type AgentRole } from '@app/domain';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { spendSecondFactor, type SecondFactorProof } from './totp/second-factor';
import { TotpCodes } from './totp/totp-codes';

export interface AuthenticatedAgent {
  id: string;
  email: string;
  displayName: string;
  role: AgentRole;
  locale: 'zh-CN' | 'en';
  /** Sessions only: the role needs two-factor login and the agent has not enrolled, so this session may only enrol. */
  totpEnrolmentRequired?: boolean;
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
    private readonly throttle: LoginThrottle,
    private readonly totp: TotpCodes,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `clientAddress` is the caller's IP as the API sees it (behind one trusted proxy hop). */
  async login(email: string, password: string, clientAddress: string, proof: SecondFactorProof = {}): Promise<{ token: string; expiresAt: Date; agent: AuthenticatedAgent }> {
    // Counted before any hashing, and a locked account or address is refused before it: a burst of
    // guesses cannot slip past the count, and guessing while locked costs us nothing.
    const lock = await this.throttle.admit(email, clientAddress);
    if (lock) {
      throw new DomainError(DomainErrorCode.LoginThrottled, `Too many failed logins; try again in ${lock.retryAfterSeconds} s.`, {
        retryAfterSeconds: lock.retryAfterSeconds,
      });
    }
    const em = this.em.fork();
    const agent = await em.findOne(AgentEntity, { email: email.trim().toLowerCase(), active: true });
    // Verify even when the agent is unknown, so response time does not reveal which emails exist.
    const valid = await this.hasher.verify(agent?.passwordHash ?? DUMMY_HASH, password);
    if (!agent || !valid) throw new DomainError(DomainErrorCode.InvalidCredentials, 'Email or password is wrong.');
    const now = this.clock.now();
    // A wrong or missing code stays counted like a wrong password (the attempt was counted on admission).
    if (agent.totpEnabledAt) await spendSecondFactor(em, this.totp, agent, proof, now);
    await this.throttle.recordSuccess(email, clientAddress);
    agent.lastLoginAt = now;
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.config.auth.sessionTtlHours * 3600_000);
    em.create(AgentSessionEntity, { id: randomUUID(), agentId: agent.id, tokenHash: hashToken(token), createdAt: now, lastSeenAt: now, expiresAt });
    await em.flush();
    return { token, expiresAt, agent: { ...toAuthenticatedAgent(agent), totpEnrolmentRequired: this.enrolmentRequired(agent.role, agent.totpEnabledAt !== null) } };
  }

  /**
   * One indexed join per request: this runs on every authenticated call. A session is live while
   * it is not revoked, not past its lifetime, used within the idle timeout, and its agent active
   * (so deactivating an agent ends every session at once, in every process). The last-use time
   * is written at most once a minute, in the same statement only when it is due.
   */
  async resolve(token: string): Promise<AuthenticatedAgent | null> {
    const now = this.clock.now();
    const idleSince = new Date(now.getTime() - this.config.auth.sessionIdleMinutes * 60_000);
    const rows = await this.em
      .fork()
      .getConnection()
      .execute<Array<{ id: string; email: string; display_name: string; role: AgentRole; locale: 'zh-CN' | 'en'; totp_on: boolean }>>(
        `with live as (
           select s.id as session_id, s.last_seen_at, a.id, a.email, a.display_name, a.role, a.locale, a.totp_enabled_at is not null as totp_on
             from agent_sessions s join agents a on a.id = s.agent_id
            where s.token_hash = ? and s.revoked_at is null and s.expires_at > ? and s.last_seen_at > ? and a.active
         ), touched as (
           update agent_sessions set last_seen_at = ? where id in (select session_id from live where last_seen_at < ?)
         )
         select id, email, display_name, role, locale, totp_on from live`,
        [hashToken(token), now, idleSince, now, new Date(now.getTime() - 60_000)],
      );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      email: row.email,
      displayName: row.display_name,
      role: row.role,
      locale: row.locale,
      totpEnrolmentRequired: this.enrolmentRequired(row.role, row.totp_on),
    };
  }

  private enrolmentRequired(role: AgentRole, totpOn: boolean): boolean {
    return !totpOn && this.config.auth.totp.requiredRoles.includes(role);
  }

  async logout(token: string): Promise<void> {
    await this.em.fork().nativeUpdate(AgentSessionEntity, { tokenHash: hashToken(token), revokedAt: null }, { revokedAt: this.clock.now(), revokedReason: 'logout' });
  }
}

/** Ends every live session of an agent (but the one that asked, when given), in the caller's transaction. */
export async function revokeAgentSessions(em: EntityManager, agentId: string, reason: string, at: Date, keepToken?: string): Promise<number> {
  const where: Record<string, unknown> = { agentId, revokedAt: null };
  if (keepToken) where.tokenHash = { $ne: hashToken(keepToken) };
  return em.nativeUpdate(AgentSessionEntity, where, { revokedAt: at, revokedReason: reason });
}

// argon2id hash of a random string nobody knows; used only to spend the same time on unknown emails.
const DUMMY_HASH = '$argon2id$v=19$m=65536,p=4,t=3$7X0D+uPhYg0nmZS56WqiZg$EP+N95tlU6Fh0zFecFjZeXqGfa2PXZ54Og0FiTHqw9I';
