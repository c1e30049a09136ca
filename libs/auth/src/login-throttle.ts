import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';

// One failure against one key (an account or an address), atomically: count it in the window; at
// the limit start a lock-out twice as long as the last one (the level outlives the window by a
// day, so a patient attacker keeps the longer lock-outs) and start counting afresh.
const RECORD_FAILURE = `
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
if failures == 1 then redis.call('HSET', KEYS[1], 'windowStart', ARGV[1]) end
local windowStart = tonumber(redis.call('HGET', KEYS[1], 'windowStart'))
local now = tonumber(ARGV[1])
if now - windowStart > tonumber(ARGV[3]) then
  redis.call('HSET', KEYS[1], 'failures', 1, 'windowStart', now)
  failures = 1
end
local lockedUntil = 0
if failures >= tonumber(ARGV[2]) then
  local level = redis.call('HINCRBY', KEYS[1], 'level', 1)
  local lockMs = math.min(tonumber(ARGV[4]) * 2 ^ (level - 1), tonumber(ARGV[5]))
  lockedUntil = now + lockMs
  redis.call('HSET', KEYS[1], 'lockedUntil', lockedUntil, 'failures', 0)
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[5]) + 86400000)
return lockedUntil`;

export interface LoginLock {
  /** Seconds until a login may be tried again (what Retry-After says). */
  retryAfterSeconds: number;
}

/**
 * Counts failed logins per account and per client address in Redis, shared by every API process,
 * and locks either out with a growing lock-out. A locked login is refused before any password is
 * hashed, so guessing costs the server nothing. If Redis is unreachable logins are let through
 * (an outage of the throttle must not lock every agent out); the bounded password-check line in
 * PasswordHasher still caps what a flood of logins can cost.
 */
@Injectable()
export class LoginThrottle implements OnModuleDestroy {
  private readonly redis: Redis;
  private readonly logger = new Logger(LoginThrottle.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    this.redis = new Redis({
      host: config.redis.host,
      port: config.redis.port,
      password: config.redis.password,
      db: config.redis.db,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
    });
    this.redis.on('error', () => undefined);
  }

  /** The lock-out in force for this account or address, if any. */
  async lockOf(email: string, address: string): Promise<LoginLock | null> {
    try {
      const until = await Promise.all(this.keys(email, address).map((key) => this.redis.hget(key, 'lockedUntil')));
      const lockedUntil = Math.max(0, ...until.map((value) => Number(value ?? 0)));
      const left = lockedUntil - this.clock.now().getTime();
      return left > 0 ? { retryAfterSeconds: Math.ceil(left / 1000) } : null;
    } catch (error) {
      this.logger.warn(`login throttle unavailable, login let through: ${(error as Error).message}`);
      return null;
    }
  }

  async recordFailure(email: string, address: string): Promise<void> {
    const limits = this.config.auth.loginThrottle;
    const [accountKey, addressKey] = this.keys(email, address);
    const now = this.clock.now().getTime();
    const common = [limits.failureWindowSeconds * 1000, limits.lockoutBaseSeconds * 1000, limits.lockoutMaxSeconds * 1000];
    try {
      await Promise.all([
        this.redis.eval(RECORD_FAILURE, 1, accountKey!, now, limits.maxFailuresPerAccount, ...common),
        this.redis.eval(RECORD_FAILURE, 1, addressKey!, now, limits.maxFailuresPerAddress, ...common),
      ]);
    } catch (error) {
      this.logger.warn(`login throttle unavailable, failure not counted: ${(error as Error).message}`);
    }
  }

  /** A successful login forgets the account's failures (the address keeps its count). */
  async recordSuccess(email: string, address: string): Promise<void> {
    await this.redis.del(this.keys(email, address)[0]!).catch(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.disconnect();
  }

  private keys(email: string, address: string): [string, string] {
    // Hashed: Redis holds no email addresses.
    const account = createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
    const prefix = `${this.config.queues.prefix}:login`;
    return [`${prefix}:account:${account}`, `${prefix}:address:${address}`];
  }
}
