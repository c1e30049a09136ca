import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { rebuildReportRollups } from '@app/cases';
import { ConfigError, loadConfig } from '@app/config';
import { ormOptions } from '@app/db';

/**
 * `npm run reports:rebuild`: recomputes the reports' per-day rollups from case_report_facts. Safe
 * to run at any time and as often as wanted (it starts from empty rollups, under the same lock the
 * reports' own refresh takes); needed after a bulk load that bypassed the triggers, or a restore.
 */
async function main(): Promise<void> {
  const { database } = loadConfig();
  const orm = await MikroORM.init(ormOptions(database.url, { debug: false, pool: { min: 0, max: 1 } }));
  try {
    const started = Date.now();
    const folded = await rebuildReportRollups(orm.em.fork());
    console.log(`reports:rebuild: rolled up ${folded} cases in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await orm.close(true);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `reports:rebuild: ${error.message}` : error);
  process.exit(1);
});
