import { hash, randomBytes, randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { AgentEntity, AgentSessionEntity } from '@app/db';
import { DomainError, DomainErrorCode, type AgentRole } from '@app/domain';
import { LoginThrottle } from './login-throttle';
import type { AuthenticatedAgent } from './authenticated-agent';
import { PasswordHasher } from './password-hasher';
import type { CachedSession } from './session-cache';
import { SessionRevocations } from './session-revocations';
import { spendSecondFactor, type SecondFactorProof } from './totp/second-factor';
import { TotpCodes } from './totp/totp-codes';

export type { AuthenticatedAgent } from './authenticated-agent';

/** The last use is written at most this often. */
const LAST_SEEN_EVERY_MS = 60_000;

/** Every authenticated request hashes its token: one-shot, without a Hash object (half the CPU). */
const hashToken = (token: string) => hash('sha256', token, 'hex');

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
    private readonly revocations: SessionRevocations,
  ) {}

  private readonly logger = new Logger(AgentSessions.name);

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
    // Checked even when the agent is unknown (against a stand-in), so response time does not reveal which emails exist.
    const valid = await this.hasher.verify(agent?.passwordHash, password);
    if (!agent || !valid) throw new DomainError(DomainErrorCode.InvalidCredentials, 'Email or password is wrong.');
    const now = this.clock.now();
    // A wrong or missing code stays counted like a wrong password (the attempt was counted on admission).
    if (agent.totpEnabledAt) await spendSecondFactor(em, this.totp, agent, proof, now);
    await this.throttle.recordSuccess(email, clientAddress);
    agent.lastLoginAt = now;
    await this.rehashAtCurrentCost(agent, password);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.config.auth.sessionTtlHours * 3600_000);
    em.create(AgentSessionEntity, { id: randomUUID(), agentId: agent.id, tokenHash: hashToken(token), createdAt: now, lastSeenAt: now, expiresAt });
    await em.flush();
    return { token, expiresAt, agent: { ...toAuthenticatedAgent(agent), totpEnrolmentRequired: this.enrolmentRequired(agent.role, agent.totpEnabledAt !== null) } };
  }

  /**
   * A password hashed at another cost than PASSWORD_HASH_* asks now is hashed again at this login,
   * the one moment the password is known: accounts move to a changed cost as they sign in, and their
   * logins then take as long as an unknown email's (checked against a stand-in at the current cost).
   * Best effort: when every password slot is busy the login goes ahead and the next one tries again.
   */
  private async rehashAtCurrentCost(agent: AgentEntity, password: string): Promise<void> {
    if (!this.hasher.needsRehash(agent.passwordHash)) return;
    try {
      agent.passwordHash = await this.hasher.hash(password);
    } catch (error) {
      this.logger.warn(`password of agent ${agent.id} not rehashed at the current cost this time: ${error}`);
    }
  }

  /**
   * Runs on every authenticated call. A session is live while it is not revoked, not past its
   * lifetime, used within the idle timeout, and its agent active. A session resolved in the last
   * AUTH_SESSION_CACHE_MS is answered from memory while this process hears revocations (see
   * SessionRevocations: deactivating an agent, a logout, … reach every process at once); lifetime
   * and idle timeout are still checked against the clock on such a hit. Otherwise one indexed join,
   * which writes the last-use time in the same statement when it is due (at most once a minute).
   */
  async resolve(token: string): Promise<AuthenticatedAgent | null> {
    const now = this.clock.now();
    const tokenHash = hashToken(token);
    const cache = this.revocations.subscribed ? this.revocations.cache : undefined;
    const cached = cache?.get(tokenHash);
    if (cached) {
      if (cached.expiresAt <= now.getTime()) return null;
      // Idle as far as this copy knows: another process may have seen a later use, so PostgreSQL decides.
      if (cached.lastSeenAt > now.getTime() - this.idleMs()) {
        if (cached.lastSeenAt < now.getTime() - LAST_SEEN_EVERY_MS) this.touchInBackground(cached, now);
        return cached.agent;
      }
    }
    const mark = cache?.mark();
    const rows = await this.em
      .fork()
      .getConnection()
      .execute<
        Array<{
          session_id: string;
          expires_at: Date;
          last_seen_at: Date;
          id: string;
          email: string;
          display_name: string;
          role: AgentRole;
          locale: 'zh-CN' | 'en';
          totp_on: boolean;
        }>
      >(
        `with live as (
           select s.id as session_id, s.expires_at, s.last_seen_at, a.id, a.email, a.display_name, a.role, a.locale, a.totp_enabled_at is not null as totp_on
             from agent_sessions s join agents a on a.id = s.agent_id
            where s.token_hash = ? and s.revoked_at is null and s.expires_at > ? and s.last_seen_at > ? and a.active
         ), touched as (
           update agent_sessions set last_seen_at = ? where id in (select session_id from live where last_seen_at < ?)
         )
         select session_id, expires_at, last_seen_at, id, email, display_name, role, locale, totp_on from live`,
        [tokenHash, now, new Date(now.getTime() - this.idleMs()), now, new Date(now.getTime() - LAST_SEEN_EVERY_MS)],
      );
    const row = rows[0];
    if (!row) return null;
    const agent: AuthenticatedAgent = {
      id: row.id,
      email: row.email,
      displayName: row.display_name,
      role: row.role,
      locale: row.locale,
      totpEnrolmentRequired: this.enrolmentRequired(row.role, row.totp_on),
    };
    if (cache && mark !== undefined) {
      const lastSeenAt = new Date(row.last_seen_at).getTime();
      cache.store(
        tokenHash,
        {
          sessionId: row.session_id,
          agent,
          expiresAt: new Date(row.expires_at).getTime(),
          lastSeenAt: lastSeenAt < now.getTime() - LAST_SEEN_EVERY_MS ? now.getTime() : lastSeenAt,
        },
        mark,
      );
    }
    return agent;
  }

  private idleMs(): number {
    return this.config.auth.sessionIdleMinutes * 60_000;
  }

  /** A hit whose last use is due for writing: written after the answer, once (the copy moves at once). */
  private touchInBackground(cached: CachedSession<AuthenticatedAgent>, now: Date): void {
    cached.lastSeenAt = now.getTime();
    this.em
      .fork()
      .nativeUpdate(AgentSessionEntity, { id: cached.sessionId, lastSeenAt: { $lt: now } }, { lastSeenAt: now })
      .catch((error: unknown) => this.logger.warn(`last use of a session not written: ${(error as Error).message}`));
  }

  private enrolmentRequired(role: AgentRole, totpOn: boolean): boolean {
    return !totpOn && this.config.auth.totp.requiredRoles.includes(role);
  }

  async logout(token: string): Promise<void> {
    const tokenHash = hashToken(token);
    await this.em.fork().nativeUpdate(AgentSessionEntity, { tokenHash, revokedAt: null }, { revokedAt: this.clock.now(), revokedReason: 'logout' });
    await this.revocations.announce({ tokenHash });
  }
}

/**
 * Ends every live session of an agent (but the one that asked, when given), in the caller's
 * transaction; the caller announces it (SessionRevocations) once that is committed.
 */
export async function revokeAgentSessions(em: EntityManager, agentId: string, reason: string, at: Date, keepToken?: string): Promise<number> {
  const where: Record<string, unknown> = { agentId, revokedAt: null };
  if (keepToken) where.tokenHash = { $ne: hashToken(keepToken) };
  return em.nativeUpdate(AgentSessionEntity, where, { revokedAt: at, revokedReason: reason });
}
