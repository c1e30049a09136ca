import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from './migration-classes';
import { MIGRATION_NAMES } from './migration-names';

describe('the two lists of migrations', () => {
  it('name the same migrations in the same order as the classes the migrator applies', () => {
    expect(MIGRATIONS.map((migration) => migration.name)).toEqual(MIGRATION_NAMES);
  });

  it('leave out no migration file', () => {
    const files = readdirSync(join(__dirname, 'migrations'))
      .filter((file) => /^Migration\d+\w*\.ts$/.test(file))
      .map((file) => file.replace(/\.ts$/, ''))
      .sort();
    expect([...MIGRATION_NAMES].sort()).toEqual(files);
  });

  it('apply in the order of their timestamps', () => {
    expect(MIGRATION_NAMES).toEqual([...MIGRATION_NAMES].sort());
  });
});
