import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions } from './orm-options';

/** Applies pending migrations. Run as its own step (npm run db:migrate), never on process boot. */
export async function migrateDatabase(url: string): Promise<string[]> {
  const orm = await MikroORM.init(ormOptions(url, { pool: { min: 0, max: 2 } }));
  try {
    const applied = await orm.getMigrator().up();
    return applied.map((migration) => migration.name);
  } finally {
    await orm.close(true);
  }
}
