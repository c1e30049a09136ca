import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { AuthenticatedAgent } from './authenticated-agent';
import { SessionCache } from './session-cache';

/** What changed: every session of an agent (role, name, language, active, password, second factor), or one session (logout). */
export type SessionChange = { agentId: string } | { tokenHash: string };

/** Sessions one process keeps at most (a few hundred agents, a few sessions each; far more is a flood of tokens). */
const MAX_CACHED_SESSIONS = 10_000;

/**
 * The per-process cache of resolved sessions and what keeps it true: every process that resolves
 * sessions subscribes to one Redis channel, and every change to what a session grants is published
 * there after its commit. The cache is used only while the subscription is up ("at once, or no
 * cache"): when the subscriber's connection drops, the cache is emptied and left unused until the
 * channel is subscribed again, so a revocation published meanwhile cannot be missed.
 */
@Injectable()
export class SessionRevocations implements OnApplicationBootstrap, OnModuleDestroy {
  readonly cache: SessionCache<AuthenticatedAgent>;
  private readonly channel: string;
  private readonly logger = new Logger(SessionRevocations.name);
  private subscriber?: Redis;
  private publisher?: Redis;
  private listening = false;
  /** Moves on with every drop of the subscriber's connection: a SUBSCRIBE answered on an older one does not count. */
  private connection = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.cache = new SessionCache<AuthenticatedAgent>(config.auth.sessionCacheMs, MAX_CACHED_SESSIONS);
    // The key prefix is in the name: apps on one Redis with different prefixes (parallel test files) do not hear each other.
    this.channel = `${config.queues.prefix}:agent-sessions:changed`;
  }

  /** True while revocations reach this process at once: only then may a cached session be used. */
  get subscribed(): boolean {
    return this.listening;
  }

  onApplicationBootstrap(): void {
    if (!this.cache.enabled) return;
    // Its own connection: a connection in subscriber mode can send nothing else.
    const subscriber = new Redis({ ...this.connectionOptions(), lazyConnect: true, autoResubscribe: false, maxRetriesPerRequest: null });
    this.subscriber = subscriber;
    subscriber.on('error', () => undefined); // reported once, as the loss of the subscription, below
    subscriber.on('ready', () => void this.subscribe(subscriber, this.connection));
    for (const event of ['close', 'reconnecting', 'end'] as const) subscriber.on(event, () => this.unsubscribed());
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.heard(message);
    });
    subscriber.connect().catch(() => undefined); // a Redis down at start: ioredis keeps trying, the cache stays off
  }

  async onModuleDestroy(): Promise<void> {
    this.listening = false;
    this.subscriber?.disconnect();
    this.publisher?.disconnect();
  }

  /**
   * Tells every process (this one first, before any later request here can hit the cache) that
   * sessions changed. Call it after the change is committed. It never fails the caller: the change
   * is already true in PostgreSQL, which every cache miss reads. A publish that fails is safe to
   * log and forget: if this process cannot reach Redis, Redis is usually down for the subscribers
   * too, whose connections then drop and whose caches are emptied and switched off; and where only
   * the publish was lost, no process keeps a session longer than AUTH_SESSION_CACHE_MS before reading
   * it again from PostgreSQL.
   */
  async announce(change: SessionChange): Promise<void> {
    this.apply(change);
    this.publisher ??= this.newPublisher();
    try {
      await this.publisher.publish(this.channel, JSON.stringify(change));
    } catch (error) {
      this.logger.error(`session change not published (other processes see it within ${this.config.auth.sessionCacheMs} ms): ${(error as Error).message}`);
    }
  }

  private newPublisher(): Redis {
    // Fails fast when Redis is away: the change is committed and the caller's answer must not wait on Redis.
    const publisher = new Redis({ ...this.connectionOptions(), lazyConnect: true, maxRetriesPerRequest: 1, commandTimeout: 1000 });
    publisher.on('error', () => undefined);
    return publisher;
  }

  private async subscribe(subscriber: Redis, connection: number): Promise<void> {
    try {
      await subscriber.subscribe(this.channel);
    } catch {
      return; // the connection dropped under it; the next 'ready' tries again
    }
    if (connection !== this.connection || subscriber.status !== 'ready') return;
    // Start empty: nothing heard before this moment is trusted.
    this.cache.clear();
    this.listening = true;
  }

  private unsubscribed(): void {
    this.connection += 1;
    this.cache.clear();
    if (!this.listening) return;
    this.listening = false;
    this.logger.warn('session revocations unheard (Redis subscriber connection lost): sessions are read from PostgreSQL on every request until it is back');
  }

  private heard(message: string): void {
    try {
      this.apply(JSON.parse(message) as SessionChange);
    } catch {
      this.cache.clear(); // unreadable: forget everything rather than guess
    }
  }

  private apply(change: SessionChange): void {
    if ('agentId' in change && typeof change.agentId === 'string') this.cache.dropAgent(change.agentId);
    else if ('tokenHash' in change && typeof change.tokenHash === 'string') this.cache.dropToken(change.tokenHash);
    else this.cache.clear();
  }

  private connectionOptions() {
    return { host: this.config.redis.host, port: this.config.redis.port, password: this.config.redis.password, db: this.config.redis.db };
  }
}
