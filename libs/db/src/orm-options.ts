import { PostgreSqlDriver, type Options } from '@mikro-orm/postgresql';
import { ENTITIES } from './entities';

export function ormOptions(databaseUrl: string, overrides: Partial<Options> = {}): Options {
  return {
    driver: PostgreSqlDriver,
    clientUrl: databaseUrl,
    entities: ENTITIES,
    // The schema comes from migrations only; nothing syncs it at runtime.
    ensureDatabase: false,
    // Any use of the global EntityManager outside a request or job context is a bug.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    pool: { min: 0, max: 20 },
    ...overrides,
  };
}
