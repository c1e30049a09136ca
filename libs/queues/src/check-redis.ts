import Redis from 'ioredis';
import type { AppConfig } from '@app/config';

export class RedisUnreachableError extends Error {}

/** Fails fast with one readable line when Redis is not there. */
export async function checkRedis(config: AppConfig): Promise<void> {
  const client = new Redis({
    host: config.redis.host,
    port: config.redis.port,
    password: config.redis.password,
    db: config.redis.db,
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new RedisUnreachableError(
      `Cannot reach Redis at ${config.redis.host}:${config.redis.port} (${error instanceof Error ? error.message : error}). Is it running? Set REDIS_HOST/REDIS_PORT to point elsewhere.`,
    );
  } finally {
    client.disconnect();
  }
}
