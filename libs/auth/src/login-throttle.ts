import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';

// One login attempt, atomically over both keys (KEYS[1] the address, KEYS[2] the account): refused,
// counting nothing, while either is locked out; otherwise counted on both as a failure up front (a
// success takes it back), so a burst of concurrent guesses cannot all pass the check before any of
// them is counted. A key reaching its limit starts a lock-out twice as long as its last one (the
// level outlives the window by a day, so a patient attacker keeps the longer lock-outs).
const ADMIT = `
local now = tonumber(ARGV[1])
local locked = 0
for i = 1, 2 do
  local untilMs = tonumber(redis.call('HGET', KEYS[i], 'lockedUntil') or '0')
  if untilMs > now and untilMs > locked then locked = untilMs end
end
if locked > 0 then return locked end
for i = 1, 2 do
  local failures = redis.call('HINCRBY', KEYS[i], 'failures', 1)
  if failures == 1 then redis.call('HSET', KEYS[i], 'windowStart', now) end
  local windowStart = tonumber(redis.call('HGET', KEYS[i], 'windowStart'))
  if now - windowStart > tonumber(ARGV[4]) then
    redis.call('HSET', KEYS[i], 'failures', 1, 'windowStart', now)
    failures = 1
  end
  if failures >= tonumber(ARGV[1 + i]) then
    local level = redis.call('HINCRBY', KEYS[i], 'level', 1)
    local lockMs = math.min(tonumber(ARGV[5]) * 2 ^ (level - 1), tonumber(ARGV[6]))
    redis.call('HSET', KEYS[i], 'lockedUntil', now + lockMs, 'failures', 0)
  end
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[6]) + 86400000)
end
return 0`;

// A successful attempt was counted as a failure by ADMIT: take it back (never below zero).
const TAKE_BACK = `
local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')
if failures > 0 then redis.call('HINCRBY', KEYS[1], 'failures', -1) end
return 0`;

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

  /**
   * Admits one login attempt for this account and address, counting it as a failure until
   * `recordSuccess` takes it back; a lock-out in force refuses it (and counts nothing).
   */
  async admit(email: string, address: string): Promise<LoginLock | null> {
    const limits = this.config.auth.loginThrottle;
    const [accountKey, addressKey] = this.keys(email, address);
    const now = this.clock.now().getTime();
    const common = [limits.failureWindowSeconds * 1000, limits.lockoutBaseSeconds * 1000, limits.lockoutMaxSeconds * 1000];
    try {
      const lockedUntil = Number(await this.redis.eval(ADMIT, 2, addressKey, accountKey, now, limits.maxFailuresPerAddress, limits.maxFailuresPerAccount, ...common));
      return lockedUntil > now ? { retryAfterSeconds: Math.ceil((lockedUntil - now) / 1000) } : null;
    } catch (error) {
      this.logger.warn(`login throttle unavailable, login let through: ${(error as Error).message}`);
      return null;
    }
  }

  /** A successful login forgets the account's failures and takes its own attempt back from the address. */
  async recordSuccess(email: string, address: string): Promise<void> {
    const [accountKey, addressKey] = this.keys(email, address);
    await Promise.all([this.redis.del(accountKey), this.redis.eval(TAKE_BACK, 1, addressKey)]).catch(() => undefined);
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
