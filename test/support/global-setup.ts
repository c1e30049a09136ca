import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
// Global setup runs outside Jest's module mapping, so it imports files, not the @app aliases.
import { databaseUrlFor, ensureDatabase } from '../../libs/db/src/database-admin';
import { buildForRun, nodeCommandFor, runBuildDirOf } from './run-build';
import { buildWalletSim, walletSimBuildDirOf } from './wallet-sim-build';

/**
 * Once per run: a template database with every migration applied, by the same CLI as production
 * (`db:migrate`). Each test file clones it (CREATE DATABASE … TEMPLATE), which is fast and gives
 * every file a database of its own. The migration runs in a child process because MikroORM's
 * metadata must not be shared between this process and Jest's sandboxed test modules.
 */
export default async function globalSetup(): Promise<void> {
  const base = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  // Every wallet simulator of the run starts from this JavaScript (test/support/wallet-sim.ts). Built
  // first: if it fails, Jest skips the teardown, and nothing else has been made yet.
  process.env.TEST_WALLET_SIM_MAIN = buildWalletSim(walletSimBuildDirOf(runId));
  // The processes tests start beside Jest (the migration below too) run from JavaScript built once.
  buildForRun(runBuildDirOf(runId));
  process.env.TEST_RUN_BUILD = runBuildDirOf(runId);
  const templateUrl = databaseUrlFor(base, `dispute_test_${runId}_tpl`);
  await ensureDatabase(templateUrl);
  const root = join(__dirname, '..', '..');
  const migrate = nodeCommandFor('apps/cli/src/migrate.ts');
  execFileSync(process.execPath, migrate.args, {
    cwd: root,
    env: { ...process.env, ...migrate.env, NODE_ENV: 'test', DATABASE_URL: templateUrl },
    stdio: 'inherit',
  });
  process.env.TEST_RUN_ID = runId;
  process.env.TEST_TEMPLATE_DATABASE_URL = templateUrl;
}
