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
  // A refused connection shows up here; the rejected connect() itself only says the connection closed.
  let connectionError: unknown;
  client.on('error', (error) => (connectionError ??= error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const cause = connectionError ?? error;
    throw new RedisUnreachableError(
      `Cannot reach Redis at ${config.redis.host}:${config.redis.port} (${cause instanceof Error ? cause.message : cause}). Is it running? Set REDIS_HOST/REDIS_PORT to point elsewhere.`,
      { cause },
    );
  } finally {
    client.disconnect();
  }
}
