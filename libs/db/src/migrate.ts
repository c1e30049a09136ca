import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions } from './orm-options';

/**
 * Applies pending migrations. Run as its own step (npm run db:migrate), never on process boot.
 * The migrator and the migrations are loaded here, when this runs, not with @app/db: the API and
 * the worker never apply migrations and would load about 240 modules for nothing.
 */
export async function migrateDatabase(url: string): Promise<string[]> {
  const [{ Migrator }, { MIGRATIONS }] = await Promise.all([import('@mikro-orm/migrations'), import('./migration-classes')]);
  const orm = await MikroORM.init(
    ormOptions(url, {
      pool: { min: 0, max: 2 },
      extensions: [Migrator],
      migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, snapshot: false },
    }),
  );
  try {
    const applied = await orm.getMigrator().up();
    return applied.map((migration) => migration.name);
  } finally {
    await orm.close(true);
  }
}
