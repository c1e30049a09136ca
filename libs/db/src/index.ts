export * from './entities';
export { DbModule } from './db.module';
export { ormOptions } from './orm-options';
export { MIGRATION_NAMES } from './migration-names';
export { migrateDatabase } from './migrate';
export {
  DatabaseUnreachableError,
  checkDatabase,
  checkDatabaseServer,
  databaseNameOf,
  databaseUrlFor,
  describeConnectionError,
  dropDatabase,
  ensureDatabase,
  listDatabases,
} from './database-admin';
export { ensureSlaDefaults, type SlaDefaultsResult } from './sla-defaults';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, UUID_PATTERN, decodeCursor, encodeCursor, invalidCursor, isIsoInstant, pageOf, pageSize, type Page } from './keyset-page';
export { timestampOrNull, type RawTimestamp } from './raw-timestamp';
export { withOrmRequestContext } from './request-context';
export { SqlTransactions, sqlSessionOf, toNumberedPlaceholders, type SqlSession, type SqlStatement } from './sql-session';
