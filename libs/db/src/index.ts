export * from './entities';
export { DbModule } from './db.module';
export { ormOptions, MIGRATIONS } from './orm-options';
export { migrateDatabase } from './migrate';
export {
  DatabaseUnreachableError,
  checkDatabase,
  databaseNameOf,
  databaseUrlFor,
  describeConnectionError,
  dropDatabase,
  ensureDatabase,
  listDatabases,
} from './database-admin';
export { ensureSlaDefaults } from './sla-defaults';
