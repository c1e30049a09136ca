import { rmSync } from 'node:fs';
import { databaseUrlFor, dropDatabase, listDatabases } from '../../libs/db/src/database-admin';
import { adminBuildDirOf } from './browser';
import { runBuildDirOf } from './run-build';
import { walletSimBuildDirOf } from './wallet-sim-build';

export default async function globalTeardown(): Promise<void> {
  const templateUrl = process.env.TEST_TEMPLATE_DATABASE_URL;
  const runId = process.env.TEST_RUN_ID;
  if (!templateUrl || !runId) return;
  // The admin UI build the browser tests of this run shared (test/support/browser.ts).
  rmSync(adminBuildDirOf(runId), { recursive: true, force: true });
  rmSync(walletSimBuildDirOf(runId), { recursive: true, force: true });
  rmSync(runBuildDirOf(runId), { recursive: true, force: true });
  // Wallet simulators' databases of this run too (test/support/wallet-sim.ts names them with the run id).
  const leftovers = [...(await listDatabases(templateUrl, `dispute_test_${runId}`)), ...(await listDatabases(templateUrl, `wallet_sim_${runId}`))];
  for (const name of leftovers) {
    await dropDatabase(databaseUrlFor(templateUrl, name));
  }
}
