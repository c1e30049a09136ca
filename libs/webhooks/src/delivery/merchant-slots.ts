import type Redis from 'ioredis';

// Free the slots whose lease ran out (a worker that died mid-send), then take one if any is left.
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

/**
 * At most `perMerchant` deliveries of one merchant are sent at once, across every worker process,
 * so one merchant's slow or hanging endpoints cannot hold all of the webhook workers while other
 * merchants' deliveries wait. A slot is a member of a sorted set scored by its lease's end: a
 * worker that dies while sending loses its slot when the lease runs out.
 */
export class MerchantSlots {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly perMerchant: number,
    private readonly leaseMs: number,
  ) {}

  async acquire(merchantId: string, holder: string, now: number): Promise<boolean> {
    const taken = await this.redis.eval(ACQUIRE, 1, this.key(merchantId), now, this.perMerchant, now + this.leaseMs, holder, this.leaseMs * 2);
    return Number(taken) === 1;
  }

  async release(merchantId: string, holder: string): Promise<void> {
    await this.redis.zrem(this.key(merchantId), holder);
  }

  private key(merchantId: string): string {
    return `${this.keyPrefix}:webhook-slots:${merchantId}`;
  }
}
