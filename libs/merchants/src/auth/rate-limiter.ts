import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (what Retry-After says on a 429). */
  resetSeconds: number;
}

// INCR and PEXPIRE in one step: a crash between them must not leave a counter that never expires.
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`;

/**
 * Fixed one-minute windows counted in Redis, shared by every API process. A fixed window lets a
 * client send up to twice the limit across a window boundary; that is acceptable for abuse
 * protection, which is all this is for. If Redis is unreachable the request is let through: an
 * outage of the limiter must not become an outage of the API.
 */
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly redis: Redis;
  private static readonly WINDOW_MS = 60_000;

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
      enableOfflineQueue: true,
    });
    this.redis.on('error', () => undefined);
  }

  async hit(bucket: string, limit: number): Promise<RateLimitResult> {
    const now = this.clock.now().getTime();
    const window = Math.floor(now / RateLimiter.WINDOW_MS);
    const resetSeconds = Math.max(1, Math.ceil(((window + 1) * RateLimiter.WINDOW_MS - now) / 1000));
    try {
      const count = Number(await this.redis.eval(HIT, 1, `${this.config.queues.prefix}:ratelimit:${bucket}:${window}`, RateLimiter.WINDOW_MS));
      return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetSeconds };
    } catch {
      return { allowed: true, limit, remaining: limit, resetSeconds };
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.disconnect();
  }
}
